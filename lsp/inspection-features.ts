/** Hover and goals: what the checker knows about the place under the cursor. */
import type { Feature } from './context.js';
import { GOAL_REQUEST, goalResult, type GoalParams } from './goal.js';
import { hover } from './hover.js';

export const hoverFeature: Feature = {
  capabilities: { hoverProvider: true },
  register: ({ connection, viewOf }) => {
    connection.onHover((params, token) => {
      const view = viewOf(params.textDocument.uri, token);
      return view === undefined ? null : hover(view, params.position);
    });
  },
};

export const goalFeature: Feature = {
  capabilities: { experimental: { goalRequest: GOAL_REQUEST } },
  register: ({ connection, viewOf }) => {
    connection.onRequest(GOAL_REQUEST, (params: GoalParams, token) => {
      const view = viewOf(params.textDocument.uri, token);
      return view === undefined ? null : goalResult(view, params.position);
    });
  },
};

export const inspectionFeatures: readonly Feature[] = [hoverFeature, goalFeature];

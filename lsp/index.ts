/**
 * The language server (vscode-languageserver) over the compiler's incremental pipeline.
 * This file is the folder's only door.
 */
export type { ServerOptions } from './server.js';
export { startLanguageServer } from './server.js';
export { GOAL_REQUEST, type GoalParams, type GoalResult } from './goal.js';
export { LanguageService, type ServiceOptions } from './service.js';

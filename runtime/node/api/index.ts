/** The node's HTTP API and WebSocket event stream (kindelia-node.md §8), and its JSON encodings: the folder's only door. */
export { buildApi, startApi, type ApiHandle, type ApiOptions } from './server.js';
export { ApiError, type DevnetControl } from './routes.js';
export { EVENT_TAGS, parseTags, type EventStream, type EventTag } from './events.js';
export * from './json.js';

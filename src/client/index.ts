/**
 * The SDK's universal entry (browser, workers, runtimes with a global WebSocket).
 * It imports no Node built-in and not `ws`, so bundlers can ship it to the browser as is;
 * Node 20 has no global WebSocket: use src/client/node.ts there.
 */
export { createClient } from './client.ts';
export { backoffCeiling, backoffDelay } from './backoff.ts';
export { ClientErrorCode, TrendStreamError, isTrendStreamError } from './errors.ts';
export type * from './types.ts';

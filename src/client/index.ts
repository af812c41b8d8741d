/**
 * `trendstream/client` for browsers, workers and runtimes with a global WebSocket.
 * It imports no Node built-in and not `ws`, so bundlers ship it to the browser as is; in Node the
 * package's `node` export condition picks node.ts instead.
 */
export { createClient } from './client.ts';
export { backoffCeiling, backoffDelay } from './backoff.ts';
export { ClientErrorCode, TrendStreamError, isTrendStreamError } from './errors.ts';
export { CloseCode, ErrorCode, shouldReconnect } from '../protocol/codes.ts';
export {
  Channel,
  boardChannel,
  chatChannel,
  counterChannel,
  personalNotificationsChannel,
  trendCategoryChannel,
} from '../protocol/channels.ts';
export { TREND_CATEGORIES } from '../protocol/payloads.ts';
export type * from '../protocol/payloads.ts';
export type * from './types.ts';

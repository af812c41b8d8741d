/**
 * `trendstream/protocol`: the wire protocol as data and types, for any client or tool that speaks
 * it — frame types, error and close codes, and the channel catalogue (names, payload types, checks).
 * Browser-safe: it pulls in no schema library (the server's frame schemas stay in frames.ts).
 */
export { CHANNEL_NAME_PATTERN, PROTOCOL_VERSION } from './constants.ts';
export { CloseCode, ErrorCode, shouldReconnect } from './codes.ts';
export type {
  ClientFrame,
  ClientFrameType,
  ClientInfo,
  PublicationFrame,
  ServerFrame,
  ServerFrameOf,
  StreamPosition,
} from './frames.ts';
export * from './channels.ts';
export * from './payload-guards.ts';
export type * from './payloads.ts';
export { TREND_CATEGORIES } from './payloads.ts';
export { checkServerFrame, isPublicationFrame, type FrameCheck } from './server-frame-guard.ts';

/**
 * The SDK's Node entry: the same client, with the `ws` package as its default WebSocket.
 */
import WebSocket from 'ws';
import { createClient as createUniversalClient } from './client.ts';
import type { ClientOptions, TrendStreamClient, WebSocketConstructor } from './types.ts';

export { backoffCeiling, backoffDelay } from './backoff.ts';
export { ClientErrorCode, TrendStreamError, isTrendStreamError } from './errors.ts';
export type * from './types.ts';

/** `ws` implements the browser WebSocket API this SDK uses (on* handlers, string text frames). */
const NodeWebSocket = WebSocket as unknown as WebSocketConstructor;

export function createClient(url: string, options: ClientOptions = {}): TrendStreamClient {
  return createUniversalClient(url, { ...options, WebSocket: options.WebSocket ?? NodeWebSocket });
}

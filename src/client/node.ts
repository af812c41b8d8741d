/**
 * `trendstream/client` in Node: the same SDK, with a WebSocket that Node has — the global one where
 * Node provides it (22+), otherwise the `ws` package. `options.WebSocket` still wins.
 */
import WebSocket from 'ws';
import { createClient as createUniversalClient } from './client.ts';
import type { ClientOptions, TrendStreamClient, WebSocketConstructor } from './types.ts';

export * from './index.ts';

/** `ws` implements the browser WebSocket API this SDK uses (on* handlers, string text frames). */
const NodeWebSocket =
  (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket ??
  (WebSocket as unknown as WebSocketConstructor);

export function createClient(url: string, options: ClientOptions = {}): TrendStreamClient {
  return createUniversalClient(url, { ...options, WebSocket: options.WebSocket ?? NodeWebSocket });
}

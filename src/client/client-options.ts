/**
 * Client options with their defaults, resolved and checked once at construction
 * (contradictory options fail there with one clear sentence).
 */
import { validateBackoff } from './backoff.ts';
import type { ClientOptions, WebSocketConstructor } from './types.ts';

export interface ResolvedClientOptions {
  name: string | undefined;
  token: ClientOptions['token'];
  WebSocket: WebSocketConstructor;
  baseDelayMs: number;
  maxDelayMs: number;
  maxQueuedPublishes: number;
  requestTimeoutMs: number;
  pingIntervalMs: number;
  autoConnect: boolean;
  checkPayloads: boolean;
}

export const CLIENT_DEFAULTS = {
  baseDelayMs: 500,
  maxDelayMs: 20_000,
  maxQueuedPublishes: 1000,
  requestTimeoutMs: 10_000,
  pingIntervalMs: 25_000,
  autoConnect: true,
  checkPayloads: true,
} as const;

export function resolveClientOptions(options: ClientOptions): ResolvedClientOptions {
  const WebSocket = options.WebSocket ?? globalWebSocket();
  if (!WebSocket) {
    throw new TypeError(
      "no WebSocket implementation: pass options.WebSocket, or in Node import createClient from 'trendstream/client'",
    );
  }
  const resolved: ResolvedClientOptions = {
    name: options.name,
    token: options.token,
    WebSocket,
    baseDelayMs: options.baseDelayMs ?? CLIENT_DEFAULTS.baseDelayMs,
    maxDelayMs: options.maxDelayMs ?? Math.max(CLIENT_DEFAULTS.maxDelayMs, options.baseDelayMs ?? 0),
    maxQueuedPublishes: options.maxQueuedPublishes ?? CLIENT_DEFAULTS.maxQueuedPublishes,
    requestTimeoutMs: options.requestTimeoutMs ?? CLIENT_DEFAULTS.requestTimeoutMs,
    pingIntervalMs: options.pingIntervalMs ?? CLIENT_DEFAULTS.pingIntervalMs,
    autoConnect: options.autoConnect ?? CLIENT_DEFAULTS.autoConnect,
    checkPayloads: options.checkPayloads ?? CLIENT_DEFAULTS.checkPayloads,
  };
  validateBackoff(resolved);
  if (!(resolved.requestTimeoutMs > 0)) throw new RangeError('requestTimeoutMs must be above 0');
  if (!(resolved.pingIntervalMs >= 0)) throw new RangeError('pingIntervalMs must be 0 (off) or above');
  return resolved;
}

function globalWebSocket(): WebSocketConstructor | undefined {
  const candidate = (globalThis as { WebSocket?: unknown }).WebSocket;
  return typeof candidate === 'function' ? (candidate as WebSocketConstructor) : undefined;
}

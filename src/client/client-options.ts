/**
 * Client options with their defaults, resolved and checked once at construction
 * (contradictory options fail there with one clear sentence).
 */
import { validateBackoff } from './backoff.ts';
import { optionError } from './errors.ts';
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
  maxDelayMs: 5000,
  maxQueuedPublishes: 1000,
  requestTimeoutMs: 10_000,
  pingIntervalMs: 25_000,
  autoConnect: true,
  checkPayloads: true,
} as const;

export function resolveClientOptions(options: ClientOptions): ResolvedClientOptions {
  const WebSocket = options.WebSocket ?? globalWebSocket();
  if (!WebSocket) throw new TypeError('no global WebSocket: pass options.WebSocket');
  const resolved: Record<string, unknown> = { ...options, WebSocket };
  // An option left out (or undefined) takes its default; the default maxDelayMs is never below baseDelayMs.
  resolved.maxDelayMs ??= Math.max(CLIENT_DEFAULTS.maxDelayMs, options.baseDelayMs ?? 0);
  for (const [key, value] of Object.entries(CLIENT_DEFAULTS)) resolved[key] ??= value;
  const checked = resolved as unknown as ResolvedClientOptions;
  validateBackoff(checked);
  if (!(checked.requestTimeoutMs > 0)) throw optionError('requestTimeoutMs', 'above 0');
  if (!(checked.pingIntervalMs >= 0)) throw optionError('pingIntervalMs', '0 (off) or above');
  return checked;
}

function globalWebSocket(): WebSocketConstructor | undefined {
  const candidate = (globalThis as { WebSocket?: unknown }).WebSocket;
  return typeof candidate === 'function' ? (candidate as WebSocketConstructor) : undefined;
}

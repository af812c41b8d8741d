/**
 * Errors the SDK hands to applications: `error` frames from the server and the client's own
 * failures (timeout, lost connection, full queue), all with a stable string `code` to branch on.
 */
import type { ServerError } from './types.ts';

/** Codes the client itself produces; server codes are `ErrorCode` in src/protocol/codes.ts. */
export const ClientErrorCode = {
  /** No reply within `requestTimeoutMs`. The request may still have been applied. */
  Timeout: 'timeout',
  /** The connection was lost or closed before the reply; a publish may or may not have been applied. */
  Disconnected: 'disconnected',
  /** `maxQueuedPublishes` publishes already wait for the connection. */
  QueueFull: 'queue_full',
  /** The server answered a request with a frame of an unexpected type (a protocol mismatch). */
  BadReply: 'bad_reply',
} as const;
export type ClientErrorCode = (typeof ClientErrorCode)[keyof typeof ClientErrorCode];

export class TrendStreamError extends Error implements ServerError {
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.name = 'TrendStreamError';
    this.code = code;
  }
}

export function isTrendStreamError(value: unknown): value is TrendStreamError {
  return value instanceof TrendStreamError;
}

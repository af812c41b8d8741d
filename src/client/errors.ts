/**
 * Errors the SDK hands to applications: `error` frames from the server and the client's own
 * failures (timeout, lost connection, full queue), all with a stable string `code` to branch on.
 */
import type { ServerError, TrendStreamErrorCode } from './types.ts';

/** Codes the client itself produces; server codes are `ErrorCode` in src/protocol/codes.ts. */
export const ClientErrorCode = {
  /** No reply within `requestTimeoutMs`. The request may still have been applied. */
  Timeout: 'timeout',
  /** The connection was lost or closed before the reply; a publish may or may not have been applied. */
  Disconnected: 'disconnected',
  /** `maxQueuedPublishes` publishes and RPCs already wait for the connection. */
  QueueFull: 'queue_full',
  /** The server answered a request with a frame of an unexpected type (a protocol mismatch). */
  BadReply: 'bad_reply',
  /** A frame from the server was not JSON or lacked required fields; it was dropped. */
  BadFrame: 'bad_frame',
  /** A publication on a built-in channel did not match the channel catalogue; it was dropped. */
  BadPayload: 'bad_payload',
  /** A request over the hub's `max_frame_bytes` (from the `connection` frame): refused, never sent. */
  TooLarge: 'too_large',
} as const;
export type ClientErrorCode = (typeof ClientErrorCode)[keyof typeof ClientErrorCode];

export class TrendStreamError extends Error implements ServerError {
  readonly code: TrendStreamErrorCode;
  readonly backendCode?: number | string;

  constructor(code: TrendStreamErrorCode, message: string, backendCode?: number | string) {
    super(message);
    this.name = 'TrendStreamError';
    this.code = code;
    if (backendCode !== undefined) this.backendCode = backendCode;
  }
}

export function isTrendStreamError(value: unknown): value is TrendStreamError {
  return value instanceof TrendStreamError;
}

/** An option out of range, as one sentence: `<option> must be <rule>`. */
export function optionError(option: string, rule: string): RangeError {
  return new RangeError(`${option} must be ${rule}`);
}

/** An `error` frame from the server as an Error (its code is one of protocol ErrorCode). */
export function serverError(frame: {
  code: string;
  message: string;
  backend_code?: number | string;
}): TrendStreamError {
  return new TrendStreamError(frame.code as TrendStreamErrorCode, frame.message, frame.backend_code);
}

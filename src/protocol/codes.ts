/**
 * Error codes and WebSocket close codes, shared by the server and every client.
 * docs/protocol.md documents each one; change both together.
 */

/** The `code` of an `error` frame: stable strings clients may branch on. */
export const ErrorCode = {
  BadRequest: 'bad_request',
  InvalidJson: 'invalid_json',
  UnknownType: 'unknown_type',
  NotFound: 'not_found',
  Unauthorized: 'unauthorized',
  Forbidden: 'forbidden',
  LimitExceeded: 'limit_exceeded',
  RateLimited: 'rate_limited',
  TooLarge: 'too_large',
  AlreadySubscribed: 'already_subscribed',
  NotSubscribed: 'not_subscribed',
  Unavailable: 'unavailable',
  /** The application's backend (a subscribe, publish or RPC proxy) said no; see `backend_code`. */
  Refused: 'refused',
  Internal: 'internal',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * Close codes. The range carries the reconnect policy (as in centrifuge):
 * - 1000–2999: standard codes; the SDK reconnects unless the client closed itself.
 * - 4000–4499: the server dropped the connection for a passing reason; reconnect with backoff.
 * - 4500–4999: terminal; reconnecting with the same credentials cannot succeed.
 */
export const CloseCode = {
  Normal: 1000,
  GoingAway: 1001,
  /** Broken WebSocket framing (unmasked frame, reserved opcode or bits): sent by `ws` itself. */
  ProtocolError: 1002,
  UnsupportedData: 1003,
  /** A text frame that is not valid UTF-8: sent by `ws` itself. */
  InvalidPayload: 1007,
  PolicyViolation: 1008,
  MessageTooBig: 1009,
  InternalError: 1011,
  ServiceRestart: 1012,
  /** The application's backend (connect proxy) could not be asked: try again later. */
  TryAgainLater: 1013,
  SlowConsumer: 4000,
  RateLimitExceeded: 4001,
  TooManyInvalidFrames: 4002,
  /** The connect proxy's `expire_at` was reached: reconnect, and the backend is asked again. */
  ConnectionExpired: 4003,
  Unauthorized: 4500,
  TokenExpired: 4501,
} as const;
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode];

/** Whether a client should reconnect after the server closed with `code`. */
export function shouldReconnect(code: number): boolean {
  return code < 4500 || code > 4999;
}

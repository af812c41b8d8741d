/** A request the hub refuses: becomes an `error` frame with this code for the requesting client. */
import type { ErrorCode } from '../protocol/codes.ts';

export class HubError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'HubError';
  }
}

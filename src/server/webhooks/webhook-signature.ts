/**
 * Webhook signing: `X-TrendStream-Signature: sha256=<hex HMAC-SHA256 of the raw body>` with the
 * shared secret. Receivers verify the exact bytes they received, before parsing them.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-trendstream-signature';
/** The same for every attempt of one batch: receivers deduplicate by it. */
export const WEBHOOK_ID_HEADER = 'x-trendstream-webhook-id';

export function signWebhookBody(rawBody: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

/** True when `header` is the signature of `rawBody` with `secret` (compared in constant time). */
export function verifyWebhookSignature(rawBody: string, header: string | undefined, secret: string): boolean {
  if (header === undefined) return false;
  const expected = Buffer.from(signWebhookBody(rawBody, secret));
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/**
 * Who is connecting: from a verified JWT (sub, name, channels claim) or, when anonymous access is
 * allowed, from the `?name=` the client gave. Names are cleaned so they render safely everywhere.
 */
import { randomBytes } from 'node:crypto';
import { jwtVerify, SignJWT, errors as joseErrors } from 'jose';
import type { ClientInfo } from '../protocol/frames.ts';

export interface Identity {
  info: ClientInfo;
  /** Channel patterns from the token's `channels` claim (`chat:*`, `trends`); undefined: no limit. */
  channelClaims?: string[];
  /** When the connection must end, ms since the epoch: the token's `exp` or the connect proxy's `expire_at`. */
  expiresAt?: number;
  /** Who set `expiresAt`: a JWT (closes with 4501, get a new token) or the backend (4003, reconnect and ask again). */
  expiresBy?: 'token' | 'backend';
  /** Server-side subscriptions: channels the connection is subscribed to without asking (token `subs`, connect proxy). */
  serverSubscriptions?: string[];
}

export class AuthError extends Error {
  constructor(
    message: string,
    readonly expired = false,
  ) {
    super(message);
    this.name = 'AuthError';
  }
}

export function newClientId(): string {
  return randomBytes(9).toString('base64url');
}

const MAX_NAME = 32;

/** Printable, trimmed, at most 32 characters; falls back to `guest-xxxx`. */
export function cleanName(raw: string | null | undefined, clientId: string): string {
  const cleaned = (raw ?? '')
    .replace(/[\p{Cc}\p{Cf}<>]/gu, '')
    .trim()
    .slice(0, MAX_NAME);
  return cleaned === '' ? `guest-${clientId.slice(0, 4)}` : cleaned;
}

export async function verifyToken(token: string, secret: string, clientId: string): Promise<Identity> {
  let payload;
  try {
    ({ payload } = await jwtVerify(token, new TextEncoder().encode(secret), { algorithms: ['HS256'] }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw new AuthError('token expired', true);
    throw new AuthError('invalid token');
  }
  if (typeof payload.sub !== 'string' || payload.sub === '') throw new AuthError('token has no sub');
  const name = typeof payload.name === 'string' ? payload.name : payload.sub;
  const identity: Identity = { info: { id: clientId, name: cleanName(name, clientId), user: payload.sub } };
  const channels = payload.channels;
  if (channels !== undefined) {
    if (!Array.isArray(channels) || !channels.every((c) => typeof c === 'string')) {
      throw new AuthError('token channels claim must be an array of strings');
    }
    identity.channelClaims = channels;
  }
  const subs = payload.subs;
  if (subs !== undefined) {
    if (!Array.isArray(subs) || !subs.every((c) => typeof c === 'string')) {
      throw new AuthError('token subs claim must be an array of channel names');
    }
    identity.serverSubscriptions = subs;
  }
  if (typeof payload.exp === 'number') {
    identity.expiresAt = payload.exp * 1000;
    identity.expiresBy = 'token';
  }
  return identity;
}

export async function mintToken(
  secret: string,
  claims: { sub: string; name?: string; channels?: string[]; subs?: string[]; ttlSeconds?: number },
): Promise<string> {
  const jwt = new SignJWT({
    ...(claims.name === undefined ? {} : { name: claims.name }),
    ...(claims.channels === undefined ? {} : { channels: claims.channels }),
    ...(claims.subs === undefined ? {} : { subs: claims.subs }),
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.sub)
    .setIssuedAt();
  if (claims.ttlSeconds !== undefined) jwt.setExpirationTime(`${claims.ttlSeconds}s`);
  return jwt.sign(new TextEncoder().encode(secret));
}

/** Whether a token's channel claims let it use `channel` (exact names, or prefixes ending in `*`). */
export function claimsAllow(claims: string[] | undefined, channel: string): boolean {
  if (claims === undefined) return true;
  return claims.some((p) => (p.endsWith('*') ? channel.startsWith(p.slice(0, -1)) : p === channel));
}

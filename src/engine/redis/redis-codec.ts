/**
 * Turning what Redis hands back into engine values: pub/sub messages (built by the publish script:
 * `p<seq>\n<epoch>\n<time>\n<from JSON>\n<data JSON>` or `b<frame>`) and stream entries.
 * JSON text never contains a raw newline, so the first four newlines delimit the header.
 */
import type { ClientInfo, Publication } from '../types.ts';

export type ChannelEvent =
  { kind: 'publication'; publication: Publication } | { kind: 'broadcast'; frame: string };

export const BROADCAST_MARK = 'b';

export function decodeChannelEvent(channel: string, message: string): ChannelEvent | undefined {
  if (message.startsWith(BROADCAST_MARK)) return { kind: 'broadcast', frame: message.slice(1) };
  if (!message.startsWith('p')) return undefined;
  const cuts: number[] = [];
  let at = 0;
  while (cuts.length < 4) {
    at = message.indexOf('\n', at);
    if (at < 0) return undefined;
    cuts.push(at);
    at += 1;
  }
  const [a, b, c, d] = cuts as [number, number, number, number];
  const publication: Publication = {
    channel,
    epoch: message.slice(a + 1, b),
    seq: Number(message.slice(1, a)),
    data: JSON.parse(message.slice(d + 1)) as unknown,
    time: Number(message.slice(b + 1, c)),
  };
  const from = message.slice(c + 1, d);
  if (from) publication.from = JSON.parse(from) as ClientInfo;
  return { kind: 'publication', publication };
}

/** One XRANGE entry: `[id, [field, value, ...]]` with id `<seq>-0`. */
export function decodeStreamEntry(channel: string, epoch: string, entry: unknown): Publication {
  if (!Array.isArray(entry) || typeof entry[0] !== 'string' || !Array.isArray(entry[1])) {
    throw new Error(`unexpected stream entry in ${channel}`);
  }
  const fields = new Map<string, string>();
  const flat = entry[1] as unknown[];
  for (let i = 0; i + 1 < flat.length; i += 2) fields.set(String(flat[i]), String(flat[i + 1]));
  const publication: Publication = {
    channel,
    epoch,
    seq: Number(entry[0].slice(0, entry[0].indexOf('-'))),
    data: JSON.parse(fields.get('d') ?? 'null') as unknown,
    time: Number(fields.get('t')),
  };
  const from = fields.get('f');
  if (from) publication.from = JSON.parse(from) as ClientInfo;
  return publication;
}

/** A script reply element as a string (RESP may hand back numbers or buffers). */
export function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  throw new Error(`expected a string from Redis, got ${typeof value}`);
}

export function integer(value: unknown): number {
  const number = Number(text(value));
  if (!Number.isSafeInteger(number)) throw new Error(`expected an integer from Redis, got ${String(value)}`);
  return number;
}

export function replyArray(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new Error(`unexpected reply from Redis for ${what}`);
  return value;
}

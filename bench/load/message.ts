/**
 * The benchmark message: a JSON object of exactly `size` bytes carrying its send time (`bt`, µs on
 * the shared monotonic clock), its phase (`ph`) and a global sequence number (`sq`), padded with `pad`.
 * Every server under test relays or re-serializes it as is, so subscribers find it in any envelope
 * by searching for `{"bt":` and reading three integers, without parsing the whole frame.
 */

export const DEFAULT_MESSAGE_BYTES = 200;
const MARKER = Buffer.from('{"bt":');
const PAD = 'x'.repeat(4096);

export interface Stamp {
  sentAt: number;
  phase: number;
  seq: number;
}

/** The message text; `size` is its length in bytes (at least the length of the fields). */
export function encodeMessage(stamp: Stamp, size = DEFAULT_MESSAGE_BYTES): string {
  const head = `{"bt":${stamp.sentAt},"ph":${stamp.phase},"sq":${stamp.seq},"pad":"`;
  const padLength = Math.max(0, size - head.length - 2);
  return `${head}${PAD.slice(0, padLength)}"}`;
}

/** Read an unsigned integer at `pos`; returns the value and the index after its last digit. */
function readUint(buffer: Buffer, pos: number, into: { value: number; end: number }): boolean {
  let value = 0;
  let i = pos;
  while (i < buffer.length) {
    const c = buffer[i];
    if (c < 48 || c > 57) break;
    value = value * 10 + (c - 48);
    i += 1;
  }
  into.value = value;
  into.end = i;
  return i > pos;
}

const scratch = { value: 0, end: 0 };
// `,"ph":` and `,"sq":` are 6 bytes each.
const FIELD_GAP = 6;

/** Find the stamp in a frame payload, writing it into `out`; false when the payload carries none. */
export function decodeStamp(payload: Buffer, out: Stamp): boolean {
  const at = payload.indexOf(MARKER);
  if (at === -1) return false;
  if (!readUint(payload, at + MARKER.length, scratch)) return false;
  out.sentAt = scratch.value;
  if (!readUint(payload, scratch.end + FIELD_GAP, scratch)) return false;
  out.phase = scratch.value;
  if (!readUint(payload, scratch.end + FIELD_GAP, scratch)) return false;
  out.seq = scratch.value;
  return true;
}

/**
 * fast-check generators of hostile inbound frames for the protocol fuzz suite. Each input says how it
 * must be sent (text, binary, raw bytes as text) and what the server must do with it, so the suite's
 * oracle stays simple: text frames get exactly one reply, invalid UTF-8 closes with 1007, oversize
 * frames close with 1009, binary frames get an error frame.
 */
import fc from 'fast-check';
import { CLIENT_FRAME_SCHEMAS } from '../../src/protocol/frames.ts';

export type FuzzInput =
  | { kind: 'text'; text: string }
  | { kind: 'binary'; bytes: Uint8Array }
  | { kind: 'invalid-utf8'; bytes: Uint8Array }
  | { kind: 'oversize'; text: string };

const KNOWN_TYPES = Object.keys(CLIENT_FRAME_SCHEMAS);

/** Keys that reach Object.prototype or shadow its methods when code is careless. */
const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];

const channelArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'echo',
    'events',
    'trends',
    'trends:tech',
    'metrics',
    'notifications',
    'chat:lobby',
    'counter:fuzz',
    'board:fuzz',
    'notifications#someone-else',
    'echo#someone-else',
    'chat',
    'chat:',
    'nope',
    'a'.repeat(129),
    'chat:x#',
    'chat:x#a#b',
    'echo ',
    '',
  ),
  fc
    .constantFrom(...PROTO_KEYS)
    .chain((key) => fc.constantFrom(key, `chat:${key}`, `${key}:x`, `echo#${key}`, `counter:${key}`)),
  fc.stringMatching(/^[A-Za-z0-9_.:@#-]{1,40}$/),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

const deepValue: fc.Arbitrary<unknown> = fc.integer({ min: 20, max: 3000 }).map((depth) => {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i += 1) value = i % 2 === 0 ? [value] : { k: value };
  return value;
});

const weirdValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
  { weight: 1, arbitrary: deepValue },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', minLength: 1000, maxLength: 6000 }) },
  { weight: 1, arbitrary: fc.constantFrom(null, -1, 1e308, -0, '', [], {}) },
);

const positionArb: fc.Arbitrary<unknown> = fc.oneof(
  fc.record({ epoch: fc.string({ maxLength: 70 }), seq: fc.integer({ min: -5, max: 2 ** 53 }) }),
  fc.record({ epoch: fc.integer(), seq: fc.string() }),
  weirdValue,
);

/** An object shaped like a client frame, with any field wrong, missing or extra. */
const frameObject: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    type: fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom(...KNOWN_TYPES) },
      { weight: 1, arbitrary: fc.constantFrom('explode', 'PING', '', ...PROTO_KEYS) },
      { weight: 1, arbitrary: weirdValue },
    ),
    id: fc.oneof(fc.string({ minLength: 1, maxLength: 64 }), fc.string({ maxLength: 200 }), weirdValue),
    channel: fc.oneof({ weight: 5, arbitrary: channelArb }, { weight: 1, arbitrary: weirdValue }),
    since: positionArb,
    data: weirdValue,
    limit: fc.oneof(fc.integer({ min: -2, max: 2000 }), weirdValue),
    extra: weirdValue,
  },
  { requiredKeys: [] },
);

/** JSON text with prototype-polluting keys written literally (JSON.stringify would never emit them). */
const protoPollution: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom(...KNOWN_TYPES), channelArb, fc.constantFrom(...PROTO_KEYS))
  .map(
    ([type, channel, key]) =>
      `{"type":${JSON.stringify(type)},"id":"proto","channel":${JSON.stringify(channel)},` +
      `"${key}":{"type":"publish","polluted":true},"since":{"__proto__":{"seq":1},"epoch":"e","seq":0},` +
      `"data":{"__proto__":{"op":"increment","polluted":true},"constructor":{"prototype":{"polluted":true}},` +
      `"op":"increment","text":"hi"}}`,
  );

const brokenJson: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.json().map((json) => json.slice(0, Math.max(1, json.length - 1))),
  fc.json(),
  fc.constantFrom('null', '[]', '"type"', '{}', '{"type":null}', '1e999', '{"type":"ping"', '\u0000'),
);

/** A text frame that fits under the frame limit. */
function textFrame(maxBytes: number): fc.Arbitrary<FuzzInput> {
  return fc
    .oneof(
      { weight: 8, arbitrary: frameObject.map((frame) => JSON.stringify(frame)) },
      { weight: 2, arbitrary: protoPollution },
      { weight: 3, arbitrary: brokenJson },
    )
    .filter((text) => text !== undefined && Buffer.byteLength(text) <= maxBytes)
    .map((text) => ({ kind: 'text', text }));
}

/** Inputs that keep the connection open: text frames and binary frames. */
export function openInputs(maxBytes: number): fc.Arbitrary<FuzzInput> {
  return fc.oneof(
    { weight: 12, arbitrary: textFrame(maxBytes) },
    {
      weight: 1,
      arbitrary: fc.uint8Array({ maxLength: 512 }).map((bytes): FuzzInput => ({ kind: 'binary', bytes })),
    },
  );
}

const INVALID_UTF8_SEQUENCES = [
  [0xff],
  [0xc3, 0x28],
  [0xa0, 0xa1],
  [0xe2, 0x28, 0xa1],
  [0xf0, 0x28, 0x8c, 0xbc],
  [0xc0, 0xaf],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
];

/** Inputs after which the server must close the connection: invalid UTF-8 text, oversize frames. */
export function closingInputs(maxBytes: number): fc.Arbitrary<FuzzInput> {
  const invalidUtf8 = fc
    .tuple(
      fc.string({ maxLength: 50 }),
      fc.constantFrom(...INVALID_UTF8_SEQUENCES),
      fc.string({ maxLength: 50 }),
    )
    .map(([before, bad, after]): FuzzInput => ({
      kind: 'invalid-utf8',
      bytes: Buffer.concat([
        Buffer.from(`{"type":"publish","channel":"echo","data":"${before}`),
        Buffer.from(bad),
        Buffer.from(`${after}"}`),
      ]),
    }));
  const oversize = fc.integer({ min: maxBytes + 1, max: maxBytes * 4 }).map((size): FuzzInput => ({
    kind: 'oversize',
    text: JSON.stringify({ type: 'publish', channel: 'echo', data: 'x'.repeat(size) }),
  }));
  return fc.oneof(invalidUtf8, oversize);
}

/**
 * A raw client frame: mostly a well-formed header (masked, no reserved bits, a defined opcode) so the
 * payload checks are reached too, sometimes any bits at all, sometimes a length that lies.
 */
export const rawFrameArb = fc.record({
  fin: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  rsv: fc.oneof(
    { weight: 4, arbitrary: fc.constant(0) },
    { weight: 1, arbitrary: fc.integer({ min: 1, max: 7 }) },
  ),
  opcode: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(0x0, 0x1, 0x2, 0x8, 0x9, 0xa) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 15 }) },
  ),
  mask: fc.oneof({ weight: 5, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  payload: fc.oneof(
    fc.uint8Array({ maxLength: 300 }),
    fc.string({ unit: 'binary', maxLength: 100 }).map((text) => new Uint8Array(Buffer.from(text))),
  ),
  lie: fc.oneof(
    { weight: 5, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max: 70_000 }) },
  ),
});
export type RawFrameSpec = typeof rawFrameArb extends fc.Arbitrary<infer T> ? T : never;

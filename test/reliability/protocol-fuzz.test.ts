/**
 * Property-based fuzzing of the inbound protocol (fast-check, seeded): thousands of generated frames —
 * wrong types, missing and extra fields, huge strings, deep nesting, unknown channels, prototype
 * pollution keys, binary frames, invalid UTF-8, oversize frames, and raw WebSocket framing no library
 * would send. Every input must get one documented reply (an `error` with a code from
 * src/protocol/codes.ts, or the reply its type calls for) or a documented close code; the server stays
 * up, its memory bounded, and a bystander keeps receiving throughout.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CloseCode, ErrorCode } from '../../src/protocol/codes.ts';
import type { ServerFrame } from '../../src/protocol/frames.ts';
import { startTestServer, type RunningServer } from '../helpers/start-test-server.ts';
import { WsTestClient } from '../helpers/ws-test-client.ts';
import { closingInputs, openInputs, rawFrameArb, type FuzzInput } from './frame-arbitraries.ts';
import { FuzzConnection, describe as describeInput } from './fuzz-connection.ts';
import { settledMemory, type MemoryFigures } from './heap-probe.ts';
import { clientFrame, openRawWebSocket } from './raw-ws-socket.ts';
import { suiteSeed } from './seeded-random.ts';

const MAX_FRAME_BYTES = 16 * 1024;
const OPEN_RUNS = 4000;
const CLOSING_RUNS = 300;
const RAW_RUNS = 400;
const seed = suiteSeed();

const ERROR_CODES: ReadonlySet<string> = new Set(Object.values(ErrorCode));
const CLOSE_CODES: ReadonlySet<number> = new Set(Object.values(CloseCode));
const REPLY_TO: Readonly<Record<string, string>> = {
  ping: 'pong',
  subscribe: 'subscribed',
  unsubscribe: 'unsubscribed',
  publish: 'ack',
  ephemeral: 'ack',
  presence: 'presence',
  history: 'history',
};

let server: RunningServer;
let bystander: WsTestClient;
let memoryBefore: MemoryFigures;
let beats = 0;
const figures = {
  cases: 0,
  errorsByCode: new Map<string, number>(),
  closesByCode: new Map<number, number>(),
};

beforeAll(async () => {
  server = await startTestServer({
    maxFrameBytes: MAX_FRAME_BYTES,
    rateLimitPerSecond: 1_000_000,
    rateLimitBurst: 1_000_000,
  });
  bystander = await WsTestClient.connect(server.wsUrl);
  await bystander.request({ type: 'subscribe', id: 'b', channel: 'events' });
  await bystanderStillReceives();
  memoryBefore = await settledMemory();
});
afterAll(async () => {
  bystander.close();
  await server.close();
});

async function bystanderStillReceives(): Promise<void> {
  beats += 1;
  const { seq } = await server.hub.publish('events', { beat: beats });
  await bystander.nextPublication((p) => p.seq === seq, 2000);
}

function count<K>(map: Map<K, number>, key: K): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

/** The id the server must echo: the input's `id` when it is a string the schema could accept. */
function expectedId(input: FuzzInput): string | undefined {
  if (input.kind !== 'text') return undefined;
  try {
    const value = JSON.parse(input.text) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
    const id = (value as { id?: unknown }).id;
    return typeof id === 'string' && id.length <= 64 ? id : undefined;
  } catch {
    return undefined;
  }
}

function requestType(input: FuzzInput): string | undefined {
  if (input.kind !== 'text') return undefined;
  try {
    const value = JSON.parse(input.text) as { type?: unknown } | null;
    return typeof value?.type === 'string' && Object.hasOwn(REPLY_TO, value.type) ? value.type : undefined;
  } catch {
    return undefined;
  }
}

function checkReply(input: FuzzInput, reply: ServerFrame): void {
  const where = describeInput(input);
  const id = expectedId(input);
  if (reply.type === 'error') {
    count(figures.errorsByCode, reply.code);
    expect(ERROR_CODES.has(reply.code), `undocumented error code ${reply.code} for ${where}`).toBe(true);
    expect(reply.message.length, where).toBeGreaterThan(0);
    expect(reply.message.length, `error message echoes too much of ${where}`).toBeLessThan(400);
    if (input.kind === 'binary') expect(reply.code).toBe(ErrorCode.BadRequest);
  } else {
    const type = requestType(input);
    expect(type && REPLY_TO[type], `a ${reply.type} reply to ${where}`).toBe(reply.type);
  }
  if (id !== undefined) expect((reply as { id?: string }).id, where).toBe(id);
}

it(`answers ${OPEN_RUNS} generated frames with one documented reply each, staying up`, async () => {
  const connection = await FuzzConnection.open(server.wsUrl);
  let sent = 0;
  try {
    await fc.assert(
      fc.asyncProperty(openInputs(MAX_FRAME_BYTES), async (input) => {
        sent += 1;
        figures.cases += 1;
        const outcome = await connection.exchange(input);
        expect(outcome.closeCode, `closed on ${describeInput(input)}`).toBeUndefined();
        expect(outcome.replies.length, `replies to ${describeInput(input)}`).toBe(1);
        checkReply(input, outcome.replies[0]);
        if (sent % 250 === 0) await bystanderStillReceives();
      }),
      { numRuns: OPEN_RUNS, seed, endOnFailure: true },
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    // No late second reply to anything.
    expect(connection.replyCount).toBe(sent);
  } finally {
    connection.close();
  }
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);
  await bystanderStillReceives();
}, 60_000);

it(`closes with 1007 or 1009 on ${CLOSING_RUNS} invalid UTF-8 and oversize frames`, async () => {
  await fc.assert(
    fc.asyncProperty(closingInputs(MAX_FRAME_BYTES), async (input) => {
      figures.cases += 1;
      const connection = await FuzzConnection.open(server.wsUrl);
      const outcome = await connection.exchange(input);
      count(figures.closesByCode, outcome.closeCode ?? 0);
      const expected = input.kind === 'oversize' ? CloseCode.MessageTooBig : CloseCode.InvalidPayload;
      expect(outcome.closeCode, describeInput(input)).toBe(expected);
    }),
    { numRuns: CLOSING_RUNS, seed, endOnFailure: true },
  );
  await bystanderStillReceives();
}, 60_000);

it(`survives ${RAW_RUNS} raw WebSocket frames with any header bits, closing only with documented codes`, async () => {
  const outcomes = { closed: 0, ended: 0, open: 0 };
  await fc.assert(
    fc.asyncProperty(rawFrameArb, async (spec) => {
      figures.cases += 1;
      const socket = await openRawWebSocket(server.port);
      const firstByte = (spec.fin ? 0x80 : 0) | (spec.rsv << 4) | spec.opcode;
      const frame = clientFrame({
        firstByte,
        mask: spec.mask,
        payload: spec.payload,
        declaredLength: spec.lie,
      });
      socket.write(frame);
      await socket.settle(40);
      socket.destroy();
      if (socket.closeCode === undefined) {
        outcomes[socket.ended ? 'ended' : 'open'] += 1;
        return;
      }
      outcomes.closed += 1;
      count(figures.closesByCode, socket.closeCode);
      // A well-formed close frame is answered with the client's own code, as RFC 6455 §5.5.1 says.
      // (1005, "no code", when its close frame carried none).
      const echoed =
        spec.opcode !== 8 ? -1 : spec.payload.length >= 2 ? (spec.payload[0] << 8) | spec.payload[1] : 1005;
      expect(
        CLOSE_CODES.has(socket.closeCode) || socket.closeCode === echoed,
        `close code ${socket.closeCode} for ${JSON.stringify({ ...spec, payload: spec.payload.length })}`,
      ).toBe(true);
    }),
    { numRuns: RAW_RUNS, seed, endOnFailure: true },
  );
  console.info(`[fuzz raw] ${JSON.stringify(outcomes)}`);
  expect(outcomes.closed).toBeGreaterThan(RAW_RUNS / 4);
  await bystanderStillReceives();
}, 60_000);

it('keeps memory bounded and the hub healthy after the fuzzing', async () => {
  // Let closed connections be cleaned up before measuring.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const after = await settledMemory();
  console.info(
    `[fuzz] seed ${seed}: ${figures.cases} cases; errors ${JSON.stringify(Object.fromEntries(figures.errorsByCode))}; ` +
      `closes ${JSON.stringify(Object.fromEntries(figures.closesByCode))}; heap ${memoryBefore.heapUsedMb} → ` +
      `${after.heapUsedMb} MB, rss ${memoryBefore.rssMb} → ${after.rssMb} MB`,
  );
  expect(after.heapUsedMb - memoryBefore.heapUsedMb).toBeLessThan(48);
  expect(server.hub.connectionCount).toBe(1); // only the bystander is left
  const health = await fetch(`${server.httpUrl}/healthz`);
  expect(health.status).toBe(200);
  await bystanderStillReceives();
});

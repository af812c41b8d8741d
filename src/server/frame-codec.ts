/**
 * Turning bytes into client frames and server frames into bytes.
 * Inbound: JSON.parse, then the TypeBox schema of the frame's type (compiled once).
 * Outbound: a publication is serialized and WebSocket-framed once, and the same Buffer is written to
 * every subscriber's socket (see outbound-queue.ts), so fan-out costs no per-client JSON or framing.
 */
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import type { TSchema } from '@sinclair/typebox';
import { ErrorCode } from '../protocol/codes.ts';
import { CLIENT_FRAME_SCHEMAS, type ClientFrame, type ServerFrame } from '../protocol/frames.ts';

/** Deeper `data` than this is refused: it would cost recursion everywhere it is handled. */
export const MAX_DATA_DEPTH = 32;

export type ParseResult =
  { ok: true; frame: ClientFrame } | { ok: false; code: ErrorCode; message: string; id?: string };

const checkers = new Map<string, TypeCheck<TSchema>>(
  Object.entries(CLIENT_FRAME_SCHEMAS).map(([type, schema]) => [type, TypeCompiler.Compile(schema)]),
);

export function parseClientFrame(text: string): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, code: ErrorCode.InvalidJson, message: 'frame is not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, code: ErrorCode.BadRequest, message: 'frame must be a JSON object with a "type"' };
  }
  const record = value as Record<string, unknown>;
  const id = typeof record.id === 'string' && record.id.length <= 64 ? record.id : undefined;
  const fail = (code: ErrorCode, message: string): ParseResult =>
    id === undefined ? { ok: false, code, message } : { ok: false, code, message, id };
  const type = record.type;
  if (typeof type !== 'string') return fail(ErrorCode.BadRequest, 'frame must have a string "type"');
  const checker = Object.hasOwn(CLIENT_FRAME_SCHEMAS, type) ? checkers.get(type) : undefined;
  if (!checker) return fail(ErrorCode.UnknownType, `unknown frame type "${type.slice(0, 32)}"`);
  if (!checker.Check(value)) {
    const first = checker.Errors(value).First();
    const where = first?.path ? ` at ${first.path}` : '';
    return fail(
      ErrorCode.BadRequest,
      `invalid ${type} frame${where}: ${first?.message ?? 'schema mismatch'}`,
    );
  }
  if ('data' in record && depthExceeds(record.data, MAX_DATA_DEPTH)) {
    return fail(ErrorCode.BadRequest, `data is nested deeper than ${MAX_DATA_DEPTH} levels`);
  }
  return { ok: true, frame: value as ClientFrame };
}

function depthExceeds(value: unknown, budget: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (budget === 0) return true;
  for (const child of Object.values(value)) {
    if (depthExceeds(child, budget - 1)) return true;
  }
  return false;
}

export function encodeFrame(frame: ServerFrame): string {
  return JSON.stringify(frame);
}

/** An unmasked, final WebSocket text frame (RFC 6455 §5.2) around `payload`, as servers send. */
export function wsTextFrame(payload: Buffer): Buffer {
  const length = payload.length;
  const headerLength = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(headerLength + length);
  frame[0] = 0x81; // FIN + opcode 1 (text)
  if (length < 126) {
    frame[1] = length;
  } else if (length < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  payload.copy(frame, headerLength);
  return frame;
}

export function frameText(text: string): Buffer {
  return wsTextFrame(Buffer.from(text));
}

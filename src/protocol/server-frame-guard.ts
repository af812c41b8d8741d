/**
 * The check a client runs on every frame from the server before acting on it, so a malformed frame
 * (a bug, a proxy mangling text, a server of another version) is reported instead of corrupting
 * the client's state or throwing into the application's code.
 */
import { hasFields, isArrayOf, isBoolean, isNumber, isRecord, isString, optional } from './checks.ts';
import type { ClientInfo, PublicationFrame, ServerFrame } from './frames.ts';

function isClientInfo(value: unknown): value is ClientInfo {
  return hasFields(value, { id: isString, name: isString, user: optional(isString) });
}

function isSeq(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

const PUBLICATION_FIELDS = {
  channel: isString,
  epoch: isString,
  seq: isSeq,
  timestamp: isString,
  from: optional(isClientInfo),
};

export function isPublicationFrame(value: unknown): value is PublicationFrame {
  return hasFields(value, { type: (type) => type === 'publication', ...PUBLICATION_FIELDS });
}

/** A request id, on replies; every frame type may carry one. */
const isOptionalId = optional(isString);

/** Required fields of each server frame type (`id` is checked for all, by isOptionalId). */
const FRAME_FIELDS: Readonly<Record<ServerFrame['type'], Record<string, (value: unknown) => boolean>>> = {
  connection: { client_id: isString, client_count: isNumber, user: isClientInfo },
  subscribed: { channel: isString, epoch: isString, seq: isSeq, recovered: isBoolean, latest: isBoolean },
  unsubscribed: { channel: isString },
  ack: { channel: isString, epoch: optional(isString), seq: optional(isSeq) },
  publication: PUBLICATION_FIELDS,
  ephemeral: { channel: isString, from: isClientInfo },
  client_count: { count: isNumber },
  join: { channel: isString, client: isClientInfo },
  leave: { channel: isString, client: isClientInfo },
  presence: { channel: isString, clients: (clients) => isArrayOf(clients, isClientInfo), count: isNumber },
  history: {
    channel: isString,
    epoch: isString,
    seq: isSeq,
    recovered: isBoolean,
    publications: (publications) => isArrayOf(publications, isPublicationFrame),
  },
  error: { code: isString, message: isString, backend_code: optional((c) => isString(c) || isNumber(c)) },
  pong: {},
  rpc_result: { id: isString },
};

export type FrameCheck =
  | { kind: 'frame'; frame: ServerFrame }
  /** A frame type this client does not know (a newer server): safe to ignore. */
  | { kind: 'unknown'; type: string }
  | { kind: 'malformed'; problem: string };

/** Parses and checks one text frame from the server. */
export function checkServerFrame(text: unknown): FrameCheck {
  if (typeof text !== 'string') return { kind: 'malformed', problem: 'a binary frame' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'malformed', problem: 'a frame that is not JSON' };
  }
  if (!isRecord(value) || !isString(value.type)) {
    return { kind: 'malformed', problem: 'a frame without a type' };
  }
  const type = value.type;
  if (!Object.hasOwn(FRAME_FIELDS, type)) return { kind: 'unknown', type };
  // Both checks are built once, at load: this runs for every frame a client receives.
  if (!isOptionalId(value.id) || !hasFields(value, FRAME_FIELDS[type as ServerFrame['type']])) {
    return { kind: 'malformed', problem: `a ${type} frame with missing or mistyped fields` };
  }
  return { kind: 'frame', frame: value as unknown as ServerFrame };
}

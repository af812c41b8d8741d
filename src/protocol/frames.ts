/**
 * The wire protocol: JSON text frames, each an object with a `type`.
 * Client frames are TypeBox schemas (one source for the TypeScript type and the runtime check);
 * server frames are plain types, since the server builds them itself.
 * docs/protocol.md is the prose version of this file.
 */
import { Type, type Static } from '@sinclair/typebox';
import { CHANNEL_NAME_PATTERN } from './constants.ts';

export { CHANNEL_NAME_PATTERN, PROTOCOL_VERSION } from './constants.ts';

const RequestId = Type.String({ minLength: 1, maxLength: 64 });
const ChannelName = Type.String({ pattern: CHANNEL_NAME_PATTERN });

export const StreamPositionSchema = Type.Object({
  epoch: Type.String({ minLength: 1, maxLength: 64 }),
  seq: Type.Integer({ minimum: 0 }),
});
/** Where a client is in a channel's stream: `seq` is only comparable within one `epoch`. */
export type StreamPosition = Static<typeof StreamPositionSchema>;

export const PingFrame = Type.Object({ type: Type.Literal('ping'), id: Type.Optional(RequestId) });
export const SubscribeFrame = Type.Object({
  type: Type.Literal('subscribe'),
  id: Type.Optional(RequestId),
  channel: ChannelName,
  since: Type.Optional(StreamPositionSchema),
  /** Passed to the backend's subscribe proxy, where the namespace has one. */
  data: Type.Optional(Type.Unknown()),
});
export const UnsubscribeFrame = Type.Object({
  type: Type.Literal('unsubscribe'),
  id: Type.Optional(RequestId),
  channel: ChannelName,
});
export const PublishFrame = Type.Object({
  type: Type.Literal('publish'),
  id: Type.Optional(RequestId),
  channel: ChannelName,
  data: Type.Unknown(),
});
/** Broadcast to the channel's subscribers (the sender included), never stored (typing indicators, cursors). */
export const EphemeralFrame = Type.Object({
  type: Type.Literal('ephemeral'),
  id: Type.Optional(RequestId),
  channel: ChannelName,
  data: Type.Unknown(),
});
export const PresenceFrame = Type.Object({
  type: Type.Literal('presence'),
  id: Type.Optional(RequestId),
  channel: ChannelName,
});
export const HistoryFrame = Type.Object({
  type: Type.Literal('history'),
  id: Type.Optional(RequestId),
  channel: ChannelName,
  since: Type.Optional(StreamPositionSchema),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
});
/** A call to the application's backend (`--rpc-proxy`); answered by `rpc_result` or `error` with this id. */
export const RpcFrame = Type.Object({
  type: Type.Literal('rpc'),
  id: RequestId,
  method: Type.String({ minLength: 1, maxLength: 128 }),
  data: Type.Optional(Type.Unknown()),
});

export const CLIENT_FRAME_SCHEMAS = {
  ping: PingFrame,
  subscribe: SubscribeFrame,
  unsubscribe: UnsubscribeFrame,
  publish: PublishFrame,
  ephemeral: EphemeralFrame,
  presence: PresenceFrame,
  history: HistoryFrame,
  rpc: RpcFrame,
} as const;

export type ClientFrameType = keyof typeof CLIENT_FRAME_SCHEMAS;
export type ClientFrame = {
  [K in ClientFrameType]: Static<(typeof CLIENT_FRAME_SCHEMAS)[K]>;
}[ClientFrameType];

/** Who a connection is. `id` is the connection's client id; `user` the authenticated user id (JWT `sub`). */
export interface ClientInfo {
  id: string;
  name: string;
  user?: string;
  /** What the application's backend attached (connect or subscribe proxy `info`): shown in presence. */
  info?: unknown;
}

export interface PublicationFrame {
  type: 'publication';
  channel: string;
  epoch: string;
  seq: number;
  data: unknown;
  /** ISO-8601 time at which the server accepted the publication. */
  timestamp: string;
  /** Set when a client published it; stamped by the server, so it cannot be forged. */
  from?: ClientInfo;
}

export type ServerFrame =
  | {
      type: 'connection';
      message: string;
      client_id: string;
      client_count: number;
      /** Which node of the cluster this connection is on (the id /healthz and /metrics report). */
      node: string;
      user: ClientInfo;
      protocol: number;
      /** The limits this connection is held to, so a client can pace itself. */
      limits: { rate_per_second: number; rate_burst: number; max_frame_bytes: number };
    }
  | {
      type: 'subscribed';
      id?: string;
      channel: string;
      epoch: string;
      seq: number;
      recovered: boolean;
      snapshot?: unknown;
      /** True when seq gaps are expected: the channel is conflated for slow clients. */
      latest: boolean;
      /** A server-side subscription (connect proxy or token `subs`): the client did not ask for it. */
      server_side?: true;
    }
  | { type: 'unsubscribed'; id?: string; channel: string }
  | { type: 'ack'; id?: string; channel: string; epoch?: string; seq?: number }
  | PublicationFrame
  | { type: 'ephemeral'; channel: string; data: unknown; from: ClientInfo }
  | { type: 'client_count'; count: number }
  | { type: 'join' | 'leave'; channel: string; client: ClientInfo }
  | { type: 'presence'; id?: string; channel: string; clients: ClientInfo[]; count: number }
  | {
      type: 'history';
      id?: string;
      channel: string;
      epoch: string;
      seq: number;
      /** With `since`: false when history no longer reaches back to it. */
      recovered: boolean;
      publications: PublicationFrame[];
    }
  | { type: 'rpc_result'; id: string; data: unknown }
  | {
      type: 'error';
      id?: string;
      code: string;
      message: string;
      /** With code `refused`: the code the application's backend gave. */
      backend_code?: number | string;
      /** Set when a server-side subscription to this channel failed (no request `id` to match). */
      channel?: string;
    }
  | { type: 'pong'; id?: string };

export type ServerFrameOf<T extends ServerFrame['type']> = Extract<ServerFrame, { type: T }>;

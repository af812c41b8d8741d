/**
 * What the application's backend may answer a proxy call, as TypeBox schemas (types and checks from
 * one source), in Centrifugo's shape: `{"result": ...}` accepts, `{"error": {code, message}}` refuses
 * the request, `{"disconnect": {code, reason}}` refuses and closes the connection.
 */
import { Type, type Static } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';

const BackendErrorSchema = Type.Object({
  code: Type.Union([Type.Integer(), Type.String({ maxLength: 64 })]),
  message: Type.String({ maxLength: 1024 }),
});
const DisconnectSchema = Type.Object({
  code: Type.Integer({ minimum: 3000, maximum: 4999 }),
  reason: Type.String({ maxLength: 123 }),
});

function reply<R extends ReturnType<typeof Type.Object>>(result: R) {
  return Type.Object({
    result: Type.Optional(result),
    error: Type.Optional(BackendErrorSchema),
    disconnect: Type.Optional(DisconnectSchema),
  });
}

const ConnectReplySchema = reply(
  Type.Object({
    /** The user id; `""` lets the client in anonymously. */
    user: Type.String({ maxLength: 128 }),
    name: Type.Optional(Type.String()),
    info: Type.Optional(Type.Unknown()),
    /** Server-side subscriptions. */
    channels: Type.Optional(Type.Array(Type.String(), { maxItems: 128 })),
    /** Unix seconds at which the connection closes (4003) and must ask again. */
    expire_at: Type.Optional(Type.Integer({ minimum: 0 })),
  }),
);
export type ConnectReply = Static<typeof ConnectReplySchema>;
export const ConnectReply = TypeCompiler.Compile(ConnectReplySchema);

const SubscribeReplySchema = reply(Type.Object({ info: Type.Optional(Type.Unknown()) }));
export type SubscribeReply = Static<typeof SubscribeReplySchema>;
export const SubscribeReply = TypeCompiler.Compile(SubscribeReplySchema);

/** Publish and RPC: `data` replaces the publication (publish) or is the call's answer (rpc). */
const DataReplySchema = reply(Type.Object({ data: Type.Optional(Type.Unknown()) }));
export type DataReply = Static<typeof DataReplySchema>;
export const DataReply = TypeCompiler.Compile(DataReplySchema);

export type BackendError = Static<typeof BackendErrorSchema>;
export type Disconnect = Static<typeof DisconnectSchema>;

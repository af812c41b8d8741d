/**
 * How a subscriber becomes one, per server: the upgrade path, what to send once connected, and
 * which message means "subscribed". Deliveries themselves are recognised by the bench message's
 * stamp (message.ts), the same way for every server.
 */
import { SOCKETIO_PATH, TRENDSTREAM_CHANNEL, WS_SUB_PATH, type ServerKind } from '../servers/kinds.ts';
import type { RawWsClient } from './raw-ws-client.ts';

export interface SubscriberProtocol {
  path: string;
  /** Called when the upgrade completed; true when the client is a subscriber already. */
  onOpen(client: RawWsClient): boolean;
  /** A message that is not a delivery; true when it completes the subscription. */
  onControl(client: RawWsClient, payload: Buffer): boolean;
}

const rawWsProtocol: SubscriberProtocol = {
  path: WS_SUB_PATH,
  onOpen: () => true,
  onControl: () => false,
};

/** Engine.IO v4 over WebSocket: `0{…}` open → `40` connect → `40{…}` connected; `2` ping → `3` pong. */
const socketIoProtocol: SubscriberProtocol = {
  path: SOCKETIO_PATH,
  onOpen: () => false,
  onControl(client, payload) {
    const first = payload[0];
    if (payload.length === 1 && first === 0x32) {
      client.sendText('3');
      return false;
    }
    if (first === 0x30) {
      client.sendText('40');
      return false;
    }
    return first === 0x34 && payload[1] === 0x30;
  },
};

const SUBSCRIBE_FRAME = JSON.stringify({ type: 'subscribe', channel: TRENDSTREAM_CHANNEL });
const CONNECTION_MARK = Buffer.from('"type":"connection"');
const SUBSCRIBED_MARK = Buffer.from('"type":"subscribed"');
const ERROR_MARK = Buffer.from('"type":"error"');

const trendStreamProtocol: SubscriberProtocol = {
  path: '/ws',
  onOpen: () => false,
  onControl(client, payload) {
    if (payload.includes(CONNECTION_MARK)) {
      client.sendText(SUBSCRIBE_FRAME);
      return false;
    }
    if (payload.includes(ERROR_MARK)) {
      client.socket.destroy(new Error(`server refused: ${payload.toString().slice(0, 200)}`));
      return false;
    }
    return payload.includes(SUBSCRIBED_MARK);
  },
};

export function subscriberProtocol(kind: ServerKind): SubscriberProtocol {
  switch (kind) {
    case 'ws-plain':
    case 'ws-preframed':
      return rawWsProtocol;
    case 'socketio':
      return socketIoProtocol;
    case 'trendstream':
      return trendStreamProtocol;
  }
}

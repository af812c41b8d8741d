/**
 * The servers under test and the few conventions they share with the load generator:
 * paths, the TrendStream channel and API key. One list, so the CLI, the orchestrator and the report
 * agree on names and order (baselines first, TrendStream last).
 */
import { Channel } from '../../src/protocol/channels.ts';

export const SERVER_KINDS = ['ws-plain', 'ws-preframed', 'socketio', 'trendstream'] as const;
export type ServerKind = (typeof SERVER_KINDS)[number];

export const SERVER_LABELS: Record<ServerKind, string> = {
  'ws-plain': 'ws (send per client)',
  'ws-preframed': 'ws (pre-framed)',
  socketio: 'Socket.IO',
  trendstream: 'TrendStream',
};

export function isServerKind(value: string): value is ServerKind {
  return (SERVER_KINDS as readonly string[]).includes(value);
}

/** Raw `ws` baselines: subscribers upgrade on SUB_PATH, the publisher on PUB_PATH. */
export const WS_SUB_PATH = '/sub';
export const WS_PUB_PATH = '/pub';
export const SOCKETIO_PATH = '/socket.io/?EIO=4&transport=websocket';
/** Socket.IO publisher namespace: it is not in `/`, so `io.emit` reaches exactly the subscribers. */
export const SOCKETIO_PUB_NAMESPACE = '/pub';

/**
 * TrendStream subscribers read `events`: no presence and no join/leave (as on a server-fed feed), so
 * connecting 10 000 subscribers costs no join broadcast storm. The publisher uses the HTTP API.
 */
export const TRENDSTREAM_CHANNEL = Channel.Events;
export const TRENDSTREAM_API_KEY = 'bench-api-key';

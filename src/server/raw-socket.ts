/**
 * The one place that reaches into `ws`: the TCP socket under a WebSocket, so pre-framed publications
 * can be written to it directly (see outbound-queue.ts). Safe because we disable permessage-deflate,
 * never call `ws.send`, and every write is a whole frame, so frames from `ws` itself (pong, close)
 * can only come between ours, never inside one.
 */
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

export function rawSocketOf(ws: WebSocket): Socket {
  const socket = (ws as unknown as { _socket?: Socket })._socket;
  if (!socket) throw new Error('ws internals changed: WebSocket has no _socket');
  return socket;
}

/**
 * Baseline (c): what most Node users pick — Socket.IO, WebSocket transport only, `io.emit`.
 * The publisher connects to its own namespace, so `io.emit` on `/` reaches exactly the subscribers.
 */
import { createServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { SOCKETIO_PUB_NAMESPACE } from './kinds.ts';
import type { StartedServer } from './started-server.ts';

export function startSocketIoServer(host: string): Promise<StartedServer> {
  const httpServer = createServer();
  const io = new Server(httpServer, {
    transports: ['websocket'],
    serveClient: false,
    perMessageDeflate: false,
  });
  io.of(SOCKETIO_PUB_NAMESPACE).on('connection', (publisher: Socket) => {
    publisher.on('p', (data: unknown) => io.emit('m', data));
  });
  return new Promise((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(0, host, () => {
      const address = httpServer.address();
      resolve({ port: typeof address === 'object' && address !== null ? address.port : 0 });
    });
  });
}

/**
 * Baseline (b): the `ws` library limit — each message is framed once (`Sender.frame` from `ws`) and
 * the same bytes are written to every subscriber's TCP socket. The sockets come from our own
 * `upgrade` handler, so nothing reaches into `ws` internals; with permessage-deflate off, `ws`
 * writes its own frames (pong, close) whole, so ours never interleave with them.
 */
import { createServer } from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import * as wsModule from 'ws';
import { WebSocketServer, type RawData } from 'ws';
import { WS_PUB_PATH } from './kinds.ts';
import type { StartedServer } from './started-server.ts';

interface FrameOptions {
  fin: boolean;
  opcode: number;
  mask: boolean;
  readOnly: boolean;
  rsv1: boolean;
}

/** `ws` exports its Sender at runtime but @types/ws does not declare it: declare the one method we use. */
const Sender = (wsModule as unknown as { Sender?: { frame(data: Buffer, options: FrameOptions): Buffer[] } })
  .Sender;
if (!Sender) throw new Error('ws no longer exports Sender');
const frameOnce = Sender.frame.bind(Sender);

const sockets = new Set<Duplex>();
const FRAME_OPTIONS: FrameOptions = { fin: true, opcode: 1, mask: false, readOnly: false, rsv1: false };

function broadcast(data: RawData): void {
  const payload = Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer);
  const frame = Buffer.concat(frameOnce(payload, FRAME_OPTIONS));
  for (const socket of sockets) {
    if (socket.writable) socket.write(frame);
  }
}

function ignoreError(): void {}

export function startWsPreframedServer(host: string): Promise<StartedServer> {
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, clientTracking: false });
  const server = createServer();
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    wss.handleUpgrade(request, socket, head, (ws) => {
      ws.on('error', ignoreError);
      if (request.url === WS_PUB_PATH) {
        ws.on('message', broadcast);
        return;
      }
      sockets.add(socket);
      ws.on('close', () => sockets.delete(socket));
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      resolve({ port: typeof address === 'object' && address !== null ? address.port : 0 });
    });
  });
}

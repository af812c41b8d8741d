/**
 * Baseline (a): the broadcast most `ws` users write — one `send` per client per message.
 * The publisher upgrades on /pub; every message it sends is relayed as a text frame to everyone on /sub.
 */
import type { IncomingMessage } from 'node:http';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import { WS_PUB_PATH } from './kinds.ts';
import type { StartedServer } from './started-server.ts';

const subscribers = new Set<WebSocket>();
const TEXT = { binary: false };

function broadcast(data: RawData): void {
  const payload = Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer);
  for (const ws of subscribers) {
    if (ws.readyState === WebSocket.OPEN) ws.send(payload, TEXT);
  }
}

function forget(this: WebSocket): void {
  subscribers.delete(this);
}

function ignoreError(): void {}

function onConnection(ws: WebSocket, request: IncomingMessage): void {
  ws.on('error', ignoreError);
  if (request.url === WS_PUB_PATH) {
    ws.on('message', broadcast);
    return;
  }
  subscribers.add(ws);
  ws.on('close', forget);
}

export function startWsPlainServer(host: string): Promise<StartedServer> {
  return new Promise((resolve, reject) => {
    const wss = new WebSocketServer({ host, port: 0, perMessageDeflate: false, clientTracking: false });
    wss.on('connection', onConnection);
    wss.once('error', reject);
    wss.once('listening', () => {
      const address = wss.address();
      resolve({ port: typeof address === 'object' && address !== null ? address.port : 0 });
    });
  });
}

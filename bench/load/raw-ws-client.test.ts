/** The load generator's WebSocket client against a real `ws` server: framing both ways, control frames. */
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { RawWsClient } from './raw-ws-client.ts';

let wss: WebSocketServer | undefined;
let client: RawWsClient | undefined;

afterEach(async () => {
  client?.destroy();
  await new Promise<void>((resolve) => (wss ? wss.close(() => resolve()) : resolve()));
  wss = undefined;
});

function serve(onConnection: (ws: WebSocket) => void, path?: string): Promise<number> {
  return new Promise((resolve) => {
    wss = new WebSocketServer({ host: '127.0.0.1', port: 0, ...(path ? { path } : {}) }, () =>
      resolve((wss?.address() as AddressInfo).port),
    );
    wss.on('connection', onConnection);
  });
}

describe('RawWsClient', () => {
  it('receives small, 16-bit, 64-bit and fragmented messages; sends masked text; answers ping', async () => {
    const big = 'y'.repeat(70_000);
    const medium = 'm'.repeat(300);
    let pong = '';
    let fromClient = '';
    const port = await serve((ws) => {
      ws.on('pong', (data) => (pong = data.toString()));
      ws.on('message', (data) => {
        fromClient = (data as Buffer).toString();
        ws.ping('probe');
        ws.send('hello');
        ws.send(medium);
        ws.send(big);
        ws.send('frag', { fin: false });
        ws.send('ment', { fin: true });
      });
    });
    const received: string[] = [];
    await new Promise<void>((resolve, reject) => {
      client = new RawWsClient({
        id: 1,
        host: '127.0.0.1',
        port,
        path: '/',
        localAddress: '127.0.0.3',
        handlers: {
          onOpen: (self) => self.sendText('hi from the bench'),
          onMessage: (_self, payload) => {
            received.push(payload.toString());
            if (received.length === 4) resolve();
          },
          onClose: (_self, error) => reject(error ?? new Error('closed')),
        },
      });
    });
    expect(received).toEqual(['hello', medium, big, 'fragment']);
    expect(fromClient).toBe('hi from the bench');
    await expect.poll(() => pong).toBe('probe');
  });

  it('reports a refused upgrade as a close with the status line', async () => {
    const port = await serve(() => undefined, '/only-here');
    const error = await new Promise<Error | undefined>((resolve) => {
      client = new RawWsClient({
        id: 2,
        host: '127.0.0.1',
        port,
        path: '/elsewhere',
        handlers: {
          onOpen: () => resolve(new Error('opened')),
          onMessage: () => undefined,
          onClose: (_self, e) => resolve(e),
        },
      });
    });
    expect(error?.message).toMatch(/^upgrade refused: HTTP\/1\.1 400/);
  });
});

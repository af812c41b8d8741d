/**
 * The WebSocket door: upgrade requests on `/ws` are checked (origin allow-list, connection limit,
 * JWT) before a Connection exists; heartbeats reap connections that stop answering pings.
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { CloseCode } from '../protocol/codes.ts';
import { PROTOCOL_VERSION } from '../protocol/frames.ts';
import type { ServerConfig } from './config.ts';
import { Connection } from './connection.ts';
import type { HubMetrics } from './hub-metrics.ts';
import type { Hub } from './hub.ts';
import { AuthError, cleanName, newClientId, verifyToken, type Identity } from './identity.ts';
import { FlushScheduler } from './outbound-queue.ts';

export const WS_PATH = '/ws';

export interface GatewayHooks {
  onConnect?(connection: Connection): void;
  onDisconnect?(connection: Connection): void;
}

export class WsGateway {
  readonly #wss: WebSocketServer;
  readonly #connections = new Set<Connection>();
  readonly #scheduler = new FlushScheduler();
  readonly #heartbeat: NodeJS.Timeout;
  #accepting = true;

  constructor(
    private readonly config: ServerConfig,
    private readonly hub: Hub,
    private readonly metrics: HubMetrics,
    private readonly log: Logger,
    private readonly hooks: GatewayHooks = {},
  ) {
    this.#wss = new WebSocketServer({
      noServer: true,
      maxPayload: config.maxFrameBytes,
      perMessageDeflate: false,
      clientTracking: false,
    });
    this.#heartbeat = setInterval(() => this.#beat(), config.heartbeatMs);
    this.#heartbeat.unref();
  }

  get size(): number {
    return this.#connections.size;
  }

  attach(server: HttpServer): void {
    server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      this.#onUpgrade(request, socket, head).catch((error: unknown) => {
        this.log.error({ err: error }, 'upgrade failed');
        rejectUpgrade(socket, 500, 'Internal Server Error');
      });
    });
  }

  /** Stop accepting; close every connection with 1012 so clients reconnect (to this or another node). */
  async shutdown(): Promise<void> {
    this.#accepting = false;
    clearInterval(this.#heartbeat);
    for (const connection of this.#connections) {
      connection.closeAfterFlush(CloseCode.ServiceRestart, 'server restarting');
    }
    const deadline = Date.now() + 3000;
    while (this.#connections.size > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    this.#wss.close();
  }

  async #onUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== WS_PATH) return rejectUpgrade(socket, 404, 'Not Found');
    if (!this.#accepting) return rejectUpgrade(socket, 503, 'Service Unavailable');
    const origin = request.headers.origin;
    const { allowedOrigins } = this.config;
    if (allowedOrigins.length > 0 && (origin === undefined || !allowedOrigins.includes(origin))) {
      return rejectUpgrade(socket, 403, 'Forbidden');
    }
    if (this.#connections.size >= this.config.maxConnections)
      return rejectUpgrade(socket, 503, 'Service Unavailable');

    const clientId = newClientId();
    let identity: Identity | undefined;
    let authFailure: AuthError | undefined;
    try {
      identity = await this.#identify(url, clientId);
    } catch (error) {
      if (!(error instanceof AuthError)) throw error;
      authFailure = error;
    }
    this.#wss.handleUpgrade(request, socket, head, (ws) => {
      // Refuse after the upgrade, with a close code: a browser cannot read an HTTP 401.
      if (!identity) {
        const code = authFailure?.expired ? CloseCode.TokenExpired : CloseCode.Unauthorized;
        ws.close(code, authFailure?.message ?? 'unauthorized');
        return;
      }
      this.#accept(ws, identity);
    });
  }

  async #identify(url: URL, clientId: string): Promise<Identity> {
    const token = url.searchParams.get('token');
    if (this.config.jwtSecret === '') {
      return { info: { id: clientId, name: cleanName(url.searchParams.get('name'), clientId) } };
    }
    if (!token) throw new AuthError('a token is required (?token=)');
    return verifyToken(token, this.config.jwtSecret, clientId);
  }

  #accept(ws: WebSocket, identity: Identity): void {
    const connection = new Connection(
      ws,
      identity,
      this.hub,
      this.metrics,
      this.config,
      this.#scheduler,
      this.log,
    );
    this.#connections.add(connection);
    ws.on('error', (error) => this.log.debug({ err: error, client: identity.info.id }, 'socket error'));
    ws.on('close', () => {
      this.#connections.delete(connection);
      connection.dispose();
      clearTimeout(expiry);
      this.hub
        .removeClient(connection)
        .catch((error: unknown) => this.log.warn({ err: error }, 'cleanup failed'));
      this.hooks.onDisconnect?.(connection);
    });
    const expiry =
      identity.expiresAt === undefined
        ? undefined
        : setTimeout(
            () => connection.close(CloseCode.TokenExpired, 'token expired'),
            Math.max(0, identity.expiresAt - Date.now()),
          ).unref();
    this.hub.addClient(connection).then(
      (count) => {
        connection.send({
          type: 'connection',
          message: 'Connected to server',
          client_id: identity.info.id,
          client_count: count,
          user: identity.info,
          protocol: PROTOCOL_VERSION,
          limits: {
            rate_per_second: this.config.rateLimitPerSecond,
            rate_burst: this.config.rateLimitBurst,
            max_frame_bytes: this.config.maxFrameBytes,
          },
        });
        this.hooks.onConnect?.(connection);
      },
      (error: unknown) => {
        this.log.warn({ err: error }, 'engine refused a connection');
        connection.close(CloseCode.InternalError, 'engine unavailable');
      },
    );
  }

  /** Reap connections that did not answer the previous ping, then ping the rest. */
  #beat(): void {
    for (const connection of this.#connections) {
      if (!connection.alive) {
        this.metrics.closes.inc({ code: 'heartbeat' });
        connection.terminate();
        continue;
      }
      connection.alive = false;
      connection.ping();
    }
  }
}

function rejectUpgrade(socket: Duplex, status: number, text: string): void {
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  }
  socket.destroy();
}

/**
 * The WebSocket door: upgrade requests on `/ws` are checked (origin allow-list, connection limit,
 * JWT) before a Connection exists; heartbeats reap connections that stop answering pings.
 */
import type { IncomingMessage, Server as HttpServer } from 'node:http';
import type { Duplex } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { WebSocketServer, type WebSocket } from 'ws';
import { Type } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { CloseCode } from '../protocol/codes.ts';
import { PROTOCOL_VERSION, StreamPositionSchema, type StreamPosition } from '../protocol/frames.ts';
import type { BackendProxies, ConnectRequest } from './backend/proxies.ts';
import { clientAddress, compileTrustProxy, type TrustProxy } from './client-address.ts';
import type { ServerConfig } from './config.ts';
import { Connection } from './connection.ts';
import type { HubMetrics } from './hub-metrics.ts';
import type { Hub } from './hub.ts';
import { AuthError, cleanName, newClientId, verifyToken, type Identity } from './identity.ts';
import type { NodeLifecycle } from './node-lifecycle.ts';
import { FlushScheduler } from './outbound-queue.ts';

export const WS_PATH = '/ws';

/**
 * `?recover=` on a reconnect: where the client is in each server-side subscription
 * (`{"notifications#42": {"epoch": "…", "seq": 7}}`), so those resume like the ones it asks for.
 */
const RecoverQuery = TypeCompiler.Compile(Type.Record(Type.String(), StreamPositionSchema));
const MAX_RECOVER_CHARS = 8192;
/** A spread close runs in at most this many steps (one timer each), however many clients there are. */
const CLOSE_STEP_MS = 10;
/** After the last close frame, how long clients get to finish the close handshake. */
const CLOSE_WAIT_MS = 3000;

/** An upgrade the backend or the JWT check refused: closed after the upgrade with this code. */
interface Refusal {
  code: number;
  reason: string;
}

export interface GatewayHooks {
  onConnect?(connection: Connection): void;
  onDisconnect?(connection: Connection): void;
}

export class WsGateway {
  readonly #wss: WebSocketServer;
  readonly #connections = new Set<Connection>();
  readonly #scheduler = new FlushScheduler();
  readonly #heartbeat: NodeJS.Timeout;
  readonly #trustProxy: TrustProxy;
  #accepting = true;

  constructor(
    private readonly config: ServerConfig,
    private readonly hub: Hub,
    private readonly metrics: HubMetrics,
    private readonly log: Logger,
    /** The application backend's proxies; the connect proxy is asked when it is configured. */
    private readonly backend: BackendProxies,
    /** Its id goes in `connection` frames; while it drains, upgrades are refused. */
    private readonly node: NodeLifecycle,
    private readonly hooks: GatewayHooks = {},
  ) {
    this.#trustProxy = compileTrustProxy(config.trustProxy);
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

  /**
   * Stop accepting; close every connection with 1012 so clients reconnect (to this or another node).
   * With `spreadMs`, the closes are spread over that window, so the nodes that remain see the
   * reconnects arrive over it instead of in one burst; clients not yet closed keep receiving.
   */
  async shutdown(spreadMs = 0): Promise<void> {
    this.#accepting = false;
    clearInterval(this.#heartbeat);
    const connections = [...this.#connections];
    const steps = Math.max(1, Math.min(connections.length, Math.floor(spreadMs / CLOSE_STEP_MS)));
    const perStep = Math.ceil(connections.length / steps);
    for (let step = 0; step < steps; step += 1) {
      if (step > 0) await sleep(spreadMs / steps);
      for (const connection of connections.slice(step * perStep, (step + 1) * perStep)) {
        connection.closeAfterFlush(CloseCode.ServiceRestart, 'server restarting');
      }
    }
    const deadline = Date.now() + CLOSE_WAIT_MS;
    while (this.#connections.size > 0 && Date.now() < deadline) await sleep(20);
    this.#wss.close();
  }

  async #onUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== WS_PATH) return rejectUpgrade(socket, 404, 'Not Found');
    // Draining: a 503 before the upgrade is what a balancer can retry on another node (after a 101
    // it cannot); a client that reached this node directly just reconnects after Retry-After.
    if (!this.#accepting || this.node.draining) return rejectUpgrade(socket, 503, 'Service Unavailable');
    const origin = request.headers.origin;
    const { allowedOrigins } = this.config;
    if (allowedOrigins.length > 0 && (origin === undefined || !allowedOrigins.includes(origin))) {
      return rejectUpgrade(socket, 403, 'Forbidden');
    }
    if (this.#connections.size >= this.config.maxConnections)
      return rejectUpgrade(socket, 503, 'Service Unavailable');

    const clientId = newClientId();
    const address = clientAddress(request, this.#trustProxy);
    let decision: Identity | Refusal;
    try {
      decision = await this.#identify(request, url, clientId, address);
    } catch (error) {
      if (!(error instanceof AuthError)) throw error;
      const code = error.expired ? CloseCode.TokenExpired : CloseCode.Unauthorized;
      decision = { code, reason: error.message };
    }
    if (socket.destroyed) return; // gave up while the backend was asked
    this.#wss.handleUpgrade(request, socket, head, (ws) => {
      // Refuse after the upgrade, with a close code: a browser cannot read an HTTP 401.
      if ('code' in decision) {
        this.metrics.closes.inc({ code: String(decision.code) });
        ws.close(decision.code, decision.reason);
        return;
      }
      // The node began shutting down while the backend was asked: this one would miss its close.
      if (!this.#accepting) {
        ws.close(CloseCode.ServiceRestart, 'server restarting');
        return;
      }
      this.#accept(ws, decision, address, recoverPositions(url));
    });
  }

  /**
   * Who connects: a JWT (`?token=`) decides when one is given; otherwise the connect proxy, if set,
   * asks the application's backend; otherwise anonymous clients are let in unless a JWT is required.
   */
  async #identify(
    request: IncomingMessage,
    url: URL,
    clientId: string,
    address: string,
  ): Promise<Identity | Refusal> {
    const token = url.searchParams.get('token');
    if (token && this.config.jwtSecret !== '') return verifyToken(token, this.config.jwtSecret, clientId);
    if (this.backend.connectProxy) return this.#askBackend(request, url, clientId, address);
    if (this.config.jwtSecret === '') {
      return { info: { id: clientId, name: cleanName(url.searchParams.get('name'), clientId) } };
    }
    throw new AuthError('a token is required (?token=)');
  }

  async #askBackend(
    request: IncomingMessage,
    url: URL,
    clientId: string,
    address: string,
  ): Promise<Identity | Refusal> {
    const decision = await this.backend.connect(this.#connectRequest(request, url, clientId, address));
    if (decision.kind === 'refuse') return { code: decision.code, reason: decision.reason };
    const { user, name, info, channels, expiresAt } = decision;
    // Already over: refuse now (the SDK backs off between failed connects) instead of letting it in
    // to close it at once, which would reconnect, and ask the backend, in a tight loop.
    if (expiresAt !== undefined && expiresAt <= Date.now()) {
      return { code: CloseCode.ConnectionExpired, reason: 'session expired' };
    }
    const identity: Identity = {
      info: { id: clientId, name: cleanName(name ?? (user || url.searchParams.get('name')), clientId) },
    };
    if (user !== '') identity.info.user = user;
    if (info !== undefined) identity.info.info = info;
    if (channels.length > 0) identity.serverSubscriptions = channels;
    if (expiresAt !== undefined) {
      identity.expiresAt = expiresAt;
      identity.expiresBy = 'backend';
    }
    return identity;
  }

  /** What the connect proxy is told: only allow-listed headers, and the query without a token. */
  #connectRequest(request: IncomingMessage, url: URL, clientId: string, address: string): ConnectRequest {
    const headers: Record<string, string> = {};
    for (const name of this.config.proxyHeaders) {
      const value = request.headers[name];
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const query: Record<string, string> = {};
    for (const [key, value] of url.searchParams) {
      if (key !== 'token' && key !== 'recover') query[key] = value;
    }
    return {
      client: clientId,
      transport: 'websocket',
      remote_addr: address,
      headers,
      query,
    };
  }

  #accept(ws: WebSocket, identity: Identity, address: string, recover: Record<string, StreamPosition>): void {
    const connection = new Connection(
      ws,
      identity,
      address,
      this.hub,
      this.metrics,
      this.config,
      this.#scheduler,
      this.log,
    );
    this.#connections.add(connection);
    const client = identity.info.id;
    this.log.debug({ client, address, user: identity.info.user }, 'connected');
    ws.on('error', (error) => this.log.debug({ err: error, client, address }, 'socket error'));
    ws.on('close', (code) => {
      this.log.debug({ client, address, code }, 'disconnected');
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
            () =>
              identity.expiresBy === 'backend'
                ? connection.close(CloseCode.ConnectionExpired, 'session expired: reconnect')
                : connection.close(CloseCode.TokenExpired, 'token expired'),
            Math.max(0, identity.expiresAt - Date.now()),
          ).unref();
    this.hub.addClient(connection).then(
      (count) => {
        connection.send({
          type: 'connection',
          message: 'Connected to server',
          client_id: identity.info.id,
          client_count: count,
          node: this.node.id,
          user: identity.info,
          protocol: PROTOCOL_VERSION,
          limits: {
            rate_per_second: this.config.rateLimitPerSecond,
            rate_burst: this.config.rateLimitBurst,
            max_frame_bytes: this.config.maxFrameBytes,
          },
        });
        this.hooks.onConnect?.(connection);
        for (const channel of identity.serverSubscriptions ?? []) {
          this.hub
            .subscribe(connection, channel, recover[channel], undefined, { serverSide: true })
            .catch((error: unknown) => connection.replyToFailure(undefined, error, channel));
        }
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

function recoverPositions(url: URL): Record<string, StreamPosition> {
  const raw = url.searchParams.get('recover');
  if (raw === null || raw.length > MAX_RECOVER_CHARS) return {};
  try {
    const value: unknown = JSON.parse(raw);
    return RecoverQuery.Check(value) ? value : {};
  } catch {
    return {};
  }
}

function rejectUpgrade(socket: Duplex, status: number, text: string): void {
  if (socket.writable) {
    const retry = status === 503 ? 'Retry-After: 1\r\n' : '';
    socket.write(`HTTP/1.1 ${status} ${text}\r\n${retry}Connection: close\r\nContent-Length: 0\r\n\r\n`);
  }
  socket.destroy();
}

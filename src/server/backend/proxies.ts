/**
 * The hub's calls to the application's backend: connect (who is this?), subscribe (may they?),
 * publish (store this, or your version of it?) and RPC. Each turns the backend's reply into what the
 * hub does next: an identity, a HubError with the code a client sees, or a close code.
 * A proxy that is not configured is `undefined`: callers skip it.
 */
import { ErrorCode } from '../../protocol/codes.ts';
import { CloseCode } from '../../protocol/codes.ts';
import type { ServerConfig } from '../config.ts';
import { HubError } from '../hub-error.ts';
import { BackendClient, BackendUnavailableError } from './backend-client.ts';
import type { BackendMetrics } from './backend-metrics.ts';
import { ConnectReply, DataReply, SubscribeReply, type BackendError } from './proxy-replies.ts';

export interface ConnectRequest {
  client: string;
  transport: 'websocket';
  remote_addr: string;
  headers: Record<string, string>;
  query: Record<string, string>;
}

export type ConnectDecision =
  | {
      kind: 'accept';
      user: string;
      name: string | undefined;
      info: unknown;
      channels: string[];
      /** Unix ms. */
      expiresAt: number | undefined;
    }
  /** Refuse with this close code (after the upgrade, so a browser can read it). */
  | { kind: 'refuse'; code: number; reason: string };

export interface ChannelRequest {
  client: string;
  user: string;
  channel: string;
  data?: unknown;
}

export interface RpcRequest {
  client: string;
  user: string;
  method: string;
  data?: unknown;
}

/** Which proxies a server calls, built from the config; the hub and the gateway share one. */
export class BackendProxies {
  readonly connectProxy: BackendClient | undefined;
  readonly subscribeProxy: BackendClient | undefined;
  readonly publishProxy: BackendClient | undefined;
  readonly rpcProxy: BackendClient | undefined;

  constructor(
    config: ServerConfig,
    private readonly metrics: BackendMetrics,
  ) {
    const client = (name: string, url: string): BackendClient | undefined =>
      url === ''
        ? undefined
        : new BackendClient({
            name,
            url,
            timeoutMs: config.proxyTimeoutMs,
            maxInFlight: config.proxyMaxInFlight,
            metrics,
          });
    this.connectProxy = client('connect', config.connectProxyUrl);
    this.subscribeProxy = client('subscribe', config.subscribeProxyUrl);
    this.publishProxy = client('publish', config.publishProxyUrl);
    this.rpcProxy = client('rpc', config.rpcProxyUrl);
  }

  /** Drops idle keep-alive connections to the backend (server shutdown). */
  close(): void {
    for (const proxy of [this.connectProxy, this.subscribeProxy, this.publishProxy, this.rpcProxy])
      proxy?.close();
  }

  async connect(request: ConnectRequest): Promise<ConnectDecision> {
    const proxy = this.connectProxy;
    if (!proxy) return { kind: 'refuse', code: CloseCode.Unauthorized, reason: 'unauthorized' };
    let reply: unknown;
    try {
      reply = await proxy.call(request);
    } catch (error) {
      if (!(error instanceof BackendUnavailableError)) throw error;
      return { kind: 'refuse', code: CloseCode.TryAgainLater, reason: 'authentication backend unavailable' };
    }
    if (!ConnectReply.Check(reply)) {
      this.#badReply('connect');
      return { kind: 'refuse', code: CloseCode.TryAgainLater, reason: 'authentication backend unavailable' };
    }
    if (reply.disconnect)
      return { kind: 'refuse', code: reply.disconnect.code, reason: reply.disconnect.reason };
    if (reply.error) {
      this.#refused('connect');
      return { kind: 'refuse', code: closeCodeOf(reply.error), reason: reply.error.message.slice(0, 123) };
    }
    if (!reply.result) {
      this.#badReply('connect');
      return { kind: 'refuse', code: CloseCode.TryAgainLater, reason: 'authentication backend unavailable' };
    }
    const { user, name, info, channels, expire_at } = reply.result;
    return {
      kind: 'accept',
      user,
      name,
      info,
      channels: channels ?? [],
      expiresAt: expire_at === undefined ? undefined : expire_at * 1000,
    };
  }

  /** Resolves with the presence `info` the backend attached (if any); throws HubError when refused. */
  async subscribe(request: ChannelRequest): Promise<unknown> {
    const proxy = this.subscribeProxy;
    if (!proxy)
      throw new HubError(
        ErrorCode.Unavailable,
        `${request.channel} needs a subscribe proxy, and none is set`,
      );
    const reply = await this.#ask(proxy, 'subscribe', request, (value) => SubscribeReply.Check(value));
    return reply.info;
  }

  /** The data to store: the client's, or the backend's version of it; throws HubError when refused. */
  async publish(request: ChannelRequest): Promise<unknown> {
    const proxy = this.publishProxy;
    if (!proxy)
      throw new HubError(ErrorCode.Unavailable, `${request.channel} needs a publish proxy, and none is set`);
    const reply = await this.#ask(proxy, 'publish', request, (value) => DataReply.Check(value));
    return Object.hasOwn(reply, 'data') ? reply.data : request.data;
  }

  async rpc(request: RpcRequest): Promise<unknown> {
    const proxy = this.rpcProxy;
    if (!proxy) throw new HubError(ErrorCode.NotFound, 'RPC is not enabled on this server (--rpc-proxy)');
    const reply = await this.#ask(proxy, 'rpc', request, (value) => DataReply.Check(value));
    return reply.data ?? null;
  }

  async #ask<R>(
    proxy: BackendClient,
    name: string,
    request: object,
    check: (value: unknown) => value is { result?: R; error?: BackendError },
  ): Promise<R> {
    let reply: unknown;
    try {
      reply = await proxy.call(request);
    } catch (error) {
      if (!(error instanceof BackendUnavailableError)) throw error;
      throw new HubError(
        ErrorCode.Unavailable,
        `the application backend did not answer (${error.reason}); try again`,
      );
    }
    if (!check(reply) || (!reply.result && !reply.error)) {
      this.#badReply(name);
      throw new HubError(
        ErrorCode.Unavailable,
        'the application backend gave an unreadable answer; try again',
      );
    }
    if (reply.error) {
      this.#refused(name);
      throw new BackendRefusal(reply.error);
    }
    return reply.result as R;
  }

  #badReply(proxy: string): void {
    this.metrics.replies.inc({ proxy, reply: 'invalid' });
  }

  #refused(proxy: string): void {
    this.metrics.replies.inc({ proxy, reply: 'refused' });
  }
}

/** The backend said no: the client's error frame carries its message and code. */
export class BackendRefusal extends HubError {
  constructor(readonly backendError: BackendError) {
    super(ErrorCode.Refused, backendError.message);
  }
}

/** A backend error code in the close-code range is used as is; anything else closes with 4500. */
function closeCodeOf(error: BackendError): number {
  const code = error.code;
  return typeof code === 'number' && code >= 3000 && code <= 4999 ? code : CloseCode.Unauthorized;
}

/**
 * Composition root of a TrendStream node: engine, hub, WebSocket gateway, HTTP API, feeds.
 * Used by `trendstream serve`, the tests and the benchmark alike.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import type { Logger } from 'pino';
import { MemoryEngine } from '../engine/memory/memory-engine.ts';
import type { Engine } from '../engine/types.ts';
import type { Feed } from '../feeds/types.ts';
import { Channel } from '../protocol/channels.ts';
import { resolveConfig, type ServerConfig } from './config.ts';
import { createLogger } from './create-logger.ts';
import { BackendMetrics } from './backend/backend-metrics.ts';
import { BackendProxies } from './backend/proxies.ts';
import { FeedRunner } from './feed-runner.ts';
import { buildNamespaceTable } from './namespace-config.ts';
import { registerHttpApi } from './http-api.ts';
import { capPipelining } from './http-guard.ts';
import { HubMetrics, RateSampler } from './hub-metrics.ts';
import { Hub } from './hub.ts';
import { defaultNodeId, NodeLifecycle } from './node-lifecycle.ts';
import { Webhooks } from './webhooks/webhooks.ts';
import { WsGateway, WS_PATH } from './ws-gateway.ts';

export interface StartOptions extends Partial<ServerConfig> {
  /** An engine to use instead of creating one from `redisUrl` (tests pass a Redis engine). */
  engine?: Engine;
  /** Feeds to run; by default the ones `feeds` switches on. */
  feedList?: Feed[];
  logger?: Logger;
}

export interface RunningServer {
  readonly port: number;
  readonly httpUrl: string;
  readonly wsUrl: string;
  readonly config: ServerConfig;
  readonly hub: Hub;
  readonly engine: Engine;
  readonly metrics: HubMetrics;
  /** This node's id and phase (serving or draining). */
  readonly node: NodeLifecycle;
  /** At once: stop accepting, close clients with 1012, stop feeds, release the engine. */
  close(): Promise<void>;
  /**
   * What SIGTERM does: /healthz answers 503 and new WebSockets are refused for `drainMs`, so the
   * balancer stops sending clients here; then the clients are closed with 1012 over `drainSpreadMs`
   * and the node closes as `close()` does. A `close()` meanwhile cuts the wait short.
   */
  drain(): Promise<void>;
}

export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const { engine: givenEngine, feedList, logger, ...overrides } = options;
  const config = resolveConfig(overrides);
  const log = logger ?? (await createLogger(config));
  if (config.insecureAnyOrigin && config.connectProxyUrl !== '' && config.allowedOrigins.length === 0) {
    log.warn(
      { proxyHeaders: config.proxyHeaders },
      "insecure-any-origin: any web page may open a WebSocket here with your users' cookies; " +
        'set --allowed-origins unless cookies do not authenticate',
    );
  }
  const engine = givenEngine ?? (await createEngineFor(config, log));
  const metrics = new HubMetrics();
  const node = new NodeLifecycle();
  metrics.describeNode(node);
  const deliveryRate = new RateSampler(() => metrics.deliveries);
  const feeds = feedList ?? (await defaultFeeds(config));
  let feedRunner: FeedRunner | undefined = undefined;
  const activity = (kind: string, message: string): void => {
    if (!config.feeds.activity || !feedRunner) return;
    feedRunner.context.activity({ level: 'info', kind, message }).catch(() => undefined);
  };
  const backend = new BackendProxies(config, new BackendMetrics(metrics.registry));
  const webhooks = config.webhookUrl === '' ? undefined : new Webhooks(config, engine, metrics.registry, log);
  const hub = new Hub(engine, metrics, {
    namespaces: buildNamespaceTable(config.namespaces),
    countIntervalMs: config.clientCountIntervalMs,
    maxSubscriptions: config.maxSubscriptionsPerConnection,
    backend,
    hooks: {
      onSubscribe: (client, resolved) => {
        const { channel } = resolved;
        if (channel !== Channel.Events) activity('subscribe', `${client.info.name} subscribed to ${channel}`);
        webhooks?.hooks.onSubscribe(client, resolved);
      },
      onUnsubscribe: (client, resolved) => webhooks?.hooks.onUnsubscribe(client, resolved),
    },
  });
  const gateway = new WsGateway(config, hub, metrics, log, backend, node, {
    onConnect: (c) => activity('connect', `${c.info.name} connected`),
    onDisconnect: (c) => activity('disconnect', `${c.info.name} disconnected`),
  });
  const httpLog: FastifyBaseLogger = log.child({ component: 'http' });
  const app = Fastify({
    loggerInstance: httpLog,
    bodyLimit: config.maxFrameBytes,
    connectionTimeout: config.httpTimeoutMs,
    requestTimeout: config.httpTimeoutMs,
    trustProxy: config.trustProxy.length > 0 ? config.trustProxy : false,
  });
  capPipelining(app);
  await registerHttpApi(app, { config, hub, engine, metrics, node });
  gateway.attach(app.server);
  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  node.id = config.nodeId || defaultNodeId(port);

  feedRunner = new FeedRunner(feeds, hub, engine, log, () => deliveryRate.sample());
  feedRunner.start();
  log.info({ port, engine: engine.name, node: node.id }, 'TrendStream listening');

  let closing: Promise<void> | undefined;
  let draining: Promise<void> | undefined;
  const closeNode = (spreadMs: number): Promise<void> => {
    closing ??= (async () => {
      feedRunner.stop();
      await gateway.shutdown(spreadMs);
      hub.close();
      await app.close();
      webhooks?.stop();
      backend.close();
      if (!givenEngine) await engine.close();
    })();
    return closing;
  };
  const cutShort = new AbortController();
  return {
    port,
    httpUrl: `http://${host}:${port}`,
    wsUrl: `ws://${host}:${port}${WS_PATH}`,
    config,
    hub,
    engine,
    metrics,
    node,
    close() {
      cutShort.abort();
      return closeNode(0);
    },
    drain() {
      draining ??= (async () => {
        node.startDraining();
        log.info(
          { node: node.id, drainMs: config.drainMs },
          'draining: /healthz 503, new WebSockets refused',
        );
        await sleep(config.drainMs, undefined, { signal: cutShort.signal }).catch(() => undefined);
        await closeNode(config.drainSpreadMs);
      })();
      return draining;
    },
  };
}

async function createEngineFor(config: ServerConfig, log: Logger): Promise<Engine> {
  if (config.redisUrl === '') return new MemoryEngine();
  const { createEngine } = await import('../engine/create-engine.ts');
  return createEngine({ redisUrl: config.redisUrl, logger: log.child({ component: 'engine' }) });
}

async function defaultFeeds(config: ServerConfig): Promise<Feed[]> {
  const switches = Object.values(config.feeds);
  if (!switches.some(Boolean)) return [];
  const { createFeeds } = await import('../feeds/index.ts');
  return createFeeds(config.feeds, {
    trendIntervalMs: config.trendIntervalMs,
    cpuAlertPercent: config.cpuAlertPercent,
    metricsInterfaces: config.metricsInterfaces,
  });
}

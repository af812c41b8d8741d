/**
 * The HTTP side of the one port: publish API (API key; one publication or a batch), channel/history/presence
 * queries, health and Prometheus metrics, and the web app's static files.
 */
import { timingSafeEqual } from 'node:crypto';
import fastifyStatic from '@fastify/static';
import { Type } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Engine } from '../engine/types.ts';
import { ErrorCode } from '../protocol/codes.ts';
import { CHANNEL_NAME_PATTERN } from '../protocol/frames.ts';
import type { ServerConfig } from './config.ts';
import { HubError } from './hub-error.ts';
import type { HubMetrics } from './hub-metrics.ts';
import type { NodeLifecycle } from './node-lifecycle.ts';
import { publicationFrame, type Hub } from './hub.ts';

const PublishBody = TypeCompiler.Compile(
  Type.Object({ channel: Type.String({ pattern: CHANNEL_NAME_PATTERN }), data: Type.Unknown() }),
);

/** Most publications in one `POST /api/batch`. */
export const MAX_BATCH_PUBLICATIONS = 1000;
/**
 * Body limit of `POST /api/batch` alone (every other route keeps `maxFrameBytes`): 1 MiB, or one
 * frame where frames may be larger. Each publication in it is still held to `maxFrameBytes`, as a
 * single publish is, so a batch carries more publications, never larger ones.
 */
export const BATCH_BODY_BYTES = 1024 * 1024;

const BatchBody = TypeCompiler.Compile(
  Type.Object({ publications: Type.Array(Type.Unknown(), { maxItems: MAX_BATCH_PUBLICATIONS }) }),
);

type BatchResult =
  { channel: string; epoch: string; seq: number } | { error: { code: string; message: string } };

const HTTP_STATUS: Partial<Record<string, number>> = {
  [ErrorCode.BadRequest]: 400,
  [ErrorCode.Unauthorized]: 401,
  [ErrorCode.Forbidden]: 403,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.TooLarge]: 413,
  [ErrorCode.Unavailable]: 503,
};

export interface HttpApiDeps {
  config: ServerConfig;
  hub: Hub;
  engine: Engine;
  metrics: HubMetrics;
  node: NodeLifecycle;
}

export async function registerHttpApi(app: FastifyInstance, deps: HttpApiDeps): Promise<void> {
  const { config, hub, engine, metrics, node } = deps;

  // A draining node asks keep-alive clients (and balancers) to open their next request elsewhere.
  app.addHook('onSend', async (_request, reply) => {
    if (node.draining) reply.header('connection', 'close');
  });

  app.setErrorHandler((error: Error & { statusCode?: number }, _request, reply) => {
    if (error instanceof HubError) return sendError(reply, error.code, error.message);
    if (error.statusCode === undefined) {
      // Not a request problem: the engine (Redis) failed. Say so, and that a retry may work.
      app.log.error({ err: error }, 'request failed');
      return sendError(reply, ErrorCode.Unavailable, 'the hub could not complete this request; try again');
    }
    const status = error.statusCode;
    return reply.code(status).send({
      error: { code: status === 413 ? ErrorCode.TooLarge : ErrorCode.BadRequest, message: error.message },
    });
  });

  // 503 takes the node out of a balancer's rotation: while it drains, and while its engine is down.
  app.get('/healthz', async (_request, reply) => {
    const healthy = engine.healthy();
    const status = node.draining ? 'draining' : healthy ? 'ok' : 'degraded';
    return reply.code(status === 'ok' ? 200 : 503).send({
      status,
      node: node.id,
      draining: node.draining,
      engine: engine.name,
      engine_healthy: healthy,
      connections: hub.connectionCount,
      uptime_seconds: Math.round((Date.now() - node.startedAt) / 1000),
    });
  });

  app.get('/metrics', async (_request, reply) => {
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  app.post('/api/publish', async (request, reply) => {
    requireApiKey(request, config.apiKey);
    if (!PublishBody.Check(request.body)) {
      throw new HubError(ErrorCode.BadRequest, 'body must be {"channel": string, "data": any}');
    }
    const { channel, data } = request.body;
    const publication = await hub.publish(channel, data);
    return reply.send({ channel, epoch: publication.epoch, seq: publication.seq });
  });

  const batchBodyLimit = Math.max(config.maxFrameBytes, BATCH_BODY_BYTES);
  app.post('/api/batch', { bodyLimit: batchBodyLimit }, async (request, reply) => {
    requireApiKey(request, config.apiKey);
    if (!BatchBody.Check(request.body)) {
      throw new HubError(
        ErrorCode.BadRequest,
        `body must be {"publications": [{"channel": string, "data": any}, ...]} with at most ${MAX_BATCH_PUBLICATIONS} items`,
      );
    }
    // A body no larger than a frame cannot hold a publication larger than one: skip measuring each.
    const bodyFitsFrame = Number(request.headers['content-length']) <= config.maxFrameBytes;
    const results = await publishBatch(hub, request.body.publications, {
      maxDataBytes: bodyFitsFrame ? Number.POSITIVE_INFINITY : config.maxFrameBytes,
      onEngineError: (error) => app.log.error({ err: error }, 'batch publication failed'),
    });
    return reply.send({ results });
  });

  app.get('/api/channels', async () => {
    const active = await engine.broker.channels();
    return {
      namespaces: [...hub.namespaces.entries()].map(([name, o]) => ({
        name,
        history_size: o.historySize,
        history_ttl_ms: o.historyTtlMs,
        client_publish: o.clientPublish !== null,
        presence: o.presence,
        join_leave: o.joinLeave,
        ephemeral: o.ephemeral,
        /** The state kind: none, latest, counter or board. */
        snapshot: o.state,
        user_channels: o.userChannels,
        subscribe_proxy: o.subscribeProxy,
        publish_proxy: o.publishProxy,
        publication_webhook: o.publicationWebhook,
      })),
      channels: active
        .filter((c) => !c.channel.includes('#'))
        .sort((a, b) => a.channel.localeCompare(b.channel)),
    };
  });

  app.get('/api/history', async (request) => {
    const { channel, limit } = queryOf(request);
    guardPrivateChannel(hub, request, channel, config.apiKey);
    const result = await hub.history(channel, { limit: clampLimit(limit) });
    return {
      channel,
      epoch: result.epoch,
      seq: result.seq,
      publications: result.publications.map(publicationFrame),
    };
  });

  app.get('/api/presence', async (request) => {
    const { channel } = queryOf(request);
    guardPrivateChannel(hub, request, channel, config.apiKey);
    const clients = await hub.presence(channel);
    return { channel, count: clients.length, clients };
  });

  if (config.webRoot !== '') {
    await app.register(fastifyStatic, { root: config.webRoot, index: 'index.html' });
  }
}

/**
 * Publish each item through the hub (namespace rules and apps apply as for one publish) and answer
 * each in place. Channels run concurrently, the items of one channel one after another in batch
 * order, so their seqs follow the batch. A refused item (the caller's fault: never stored) is
 * answered with its error and the others go on. When the engine itself fails, the rest of that
 * channel's items are not tried either (all answered `unavailable`): retrying from the first failure
 * then keeps the channel's order.
 */
async function publishBatch(
  hub: Hub,
  items: unknown[],
  limits: { maxDataBytes: number; onEngineError: (error: unknown) => void },
): Promise<BatchResult[]> {
  const { maxDataBytes } = limits;
  const results = new Array<BatchResult>(items.length);
  const byChannel = new Map<string, { index: number; data: unknown }[]>();
  for (let index = 0; index < items.length; index += 1) {
    const item = items[index];
    if (!PublishBody.Check(item)) {
      results[index] = itemError(
        ErrorCode.BadRequest,
        'each publication must be {"channel": string, "data": any}',
      );
    } else if (maxDataBytes !== Number.POSITIVE_INFINITY && serializedBytes(item.data) > maxDataBytes) {
      results[index] = itemError(ErrorCode.TooLarge, `data is larger than ${maxDataBytes} bytes`);
    } else {
      const queue = byChannel.get(item.channel);
      if (queue) queue.push({ index, data: item.data });
      else byChannel.set(item.channel, [{ index, data: item.data }]);
    }
  }
  const publishInOrder = async (channel: string, queue: { index: number; data: unknown }[]) => {
    let engineFailed = false;
    for (const { index, data } of queue) {
      if (engineFailed) {
        results[index] = itemError(
          ErrorCode.Unavailable,
          `not tried: an earlier publication to ${channel} in this batch failed; try again`,
        );
        continue;
      }
      try {
        const { epoch, seq } = await hub.publish(channel, data);
        results[index] = { channel, epoch, seq };
      } catch (error) {
        if (error instanceof HubError) {
          results[index] = itemError(error.code, error.message);
        } else {
          // The engine (Redis) failed, not the item: as for one publish, say a retry may work.
          limits.onEngineError(error);
          engineFailed = true;
          results[index] = itemError(
            ErrorCode.Unavailable,
            'the hub could not complete this publication; try again',
          );
        }
      }
    }
  };
  await Promise.all(Array.from(byChannel, ([channel, queue]) => publishInOrder(channel, queue)));
  return results;
}

function itemError(code: string, message: string): BatchResult {
  return { error: { code, message } };
}

function serializedBytes(data: unknown): number {
  const json = JSON.stringify(data) as string | undefined;
  return json === undefined ? 0 : Buffer.byteLength(json);
}

function sendError(reply: FastifyReply, code: string, message: string): FastifyReply {
  return reply.code(HTTP_STATUS[code] ?? 400).send({ error: { code, message } });
}

function queryOf(request: FastifyRequest): { channel: string; limit: string | undefined } {
  const query = request.query as Record<string, unknown>;
  const channel = query.channel;
  if (typeof channel !== 'string' || channel === '') {
    throw new HubError(ErrorCode.BadRequest, 'query parameter "channel" is required');
  }
  return { channel, limit: typeof query.limit === 'string' ? query.limit : undefined };
}

function clampLimit(raw: string | undefined): number {
  const limit = raw === undefined ? 100 : Number.parseInt(raw, 10);
  if (!Number.isFinite(limit) || limit < 1)
    throw new HubError(ErrorCode.BadRequest, 'limit must be a positive integer');
  return Math.min(limit, 1000);
}

function requireApiKey(request: FastifyRequest, apiKey: string): void {
  if (apiKey === '')
    throw new HubError(ErrorCode.Forbidden, 'the publish API is disabled: start the server with --api-key');
  const header = request.headers.authorization ?? '';
  const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
  const expected = Buffer.from(apiKey);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new HubError(ErrorCode.Unauthorized, 'missing or wrong API key (Authorization: Bearer <key>)');
  }
}

/** History and presence of a user-limited channel (`name#user`) are for the API key holder only. */
function guardPrivateChannel(hub: Hub, request: FastifyRequest, channel: string, apiKey: string): void {
  if (hub.namespaces.resolve(channel)?.ownerUserId !== undefined) requireApiKey(request, apiKey);
}

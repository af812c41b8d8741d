/**
 * The HTTP side of the one port: publish API (API key), channel/history/presence queries,
 * health and Prometheus metrics, and the web app's static files.
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
import { publicationFrame, type Hub } from './hub.ts';

const PublishBody = TypeCompiler.Compile(
  Type.Object({ channel: Type.String({ pattern: CHANNEL_NAME_PATTERN }), data: Type.Unknown() }),
);

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
  startedAt: number;
}

export async function registerHttpApi(app: FastifyInstance, deps: HttpApiDeps): Promise<void> {
  const { config, hub, engine, metrics } = deps;

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

  app.get('/healthz', async (_request, reply) => {
    const healthy = engine.healthy();
    return reply.code(healthy ? 200 : 503).send({
      status: healthy ? 'ok' : 'degraded',
      engine: engine.name,
      engine_healthy: healthy,
      connections: hub.connectionCount,
      uptime_seconds: Math.round((Date.now() - deps.startedAt) / 1000),
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

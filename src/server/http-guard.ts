/**
 * Caps the requests one HTTP connection may have in flight. HTTP/1.1 pipelining lets a client send
 * thousands of requests in one packet and never read the replies; Node parses the whole packet, so the
 * server would render and hold every reply (one connection: hundreds of MB). Past the cap the
 * connection is dropped. Browsers never pipeline, so honest clients never meet the cap.
 * (Slow-loris timeouts are Fastify options: see `httpTimeoutMs` in config.ts.)
 */
import type { Socket } from 'node:net';
import type { FastifyInstance } from 'fastify';

export const MAX_REQUESTS_IN_FLIGHT_PER_CONNECTION = 16;

export function capPipelining(app: FastifyInstance, max = MAX_REQUESTS_IN_FLIGHT_PER_CONNECTION): void {
  const inFlight = new WeakMap<Socket, number>();
  app.addHook('onRequest', async function limitRequestsInFlight(request, reply) {
    const socket = request.raw.socket;
    const count = (inFlight.get(socket) ?? 0) + 1;
    if (count > max) {
      socket.destroy();
      return reply.code(503).send(); // ends this request's lifecycle; the bytes go nowhere
    }
    inFlight.set(socket, count);
    reply.raw.once('close', () => inFlight.set(socket, (inFlight.get(socket) ?? 1) - 1));
  });
}

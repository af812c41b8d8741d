// A small application backend for TrendStream (see docs/backend.md):
// - POST /login sets the app's own session cookie;
// - POST /trendstream/connect (connect proxy) turns that cookie into a TrendStream user;
// - POST /trendstream/publish (publish proxy) moderates chat before the hub stores it;
// - POST /trendstream/webhooks verifies the HMAC signature and records each event once.
// Run: node examples/backend/server.mjs  (PORT, WEBHOOK_SECRET from the environment)
/* global process, console, Buffer */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import Fastify from 'fastify';

const PORT = Number(process.env.PORT ?? 3000);
const WEBHOOK_SECRET = process.env.WEBHOOK_SECRET ?? 'change-me';
const SESSION_TTL_S = 3600;

/** The app's users and sessions (a database in a real app). */
const USERS = new Map([
  ['ada', { id: '1', name: 'Ada', password: 'lovelace' }],
  ['alan', { id: '2', name: 'Alan', password: 'turing' }],
]);
const sessions = new Map(); // session id → { user, expiresAt (unix s) }
const BLOCKED_WORDS = /\b(darn|heck)\b/gi;

const app = Fastify({ logger: process.env.LOG === '1' });

// Webhook signatures are over the raw body, so keep it next to the parsed JSON.
app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
  request.rawBody = body;
  try {
    done(null, body === '' ? {} : JSON.parse(body));
  } catch (error) {
    error.statusCode = 400;
    done(error);
  }
});

app.post('/login', async (request, reply) => {
  const { username, password } = request.body ?? {};
  const user = USERS.get(username);
  if (!user || user.password !== password)
    return reply.code(401).send({ error: 'wrong username or password' });
  const id = randomBytes(18).toString('base64url');
  sessions.set(id, { user, expiresAt: Math.floor(Date.now() / 1000) + SESSION_TTL_S });
  // HttpOnly: page scripts cannot read it; the browser still sends it with the hub's WebSocket upgrade.
  reply.header('set-cookie', `session=${id}; HttpOnly; SameSite=Lax; Path=/; Max-Age=${SESSION_TTL_S}`);
  return { user: user.id, name: user.name };
});

// Connect proxy: who is this connection? The hub forwards the upgrade's cookie header.
app.post('/trendstream/connect', async (request) => {
  const session = sessions.get(cookieValue(request.body.headers?.cookie, 'session'));
  if (!session || session.expiresAt * 1000 < Date.now()) {
    return { error: { code: 4500, message: 'not logged in' } };
  }
  const { user, expiresAt } = session;
  return {
    result: {
      user: user.id,
      name: user.name,
      // Server-side subscription: the user's private notifications, without the client asking.
      channels: [`notifications#${user.id}`],
      // The hub closes the connection (4003) when the session ends; the reconnect asks again.
      expire_at: expiresAt,
    },
  };
});

// Publish proxy: moderate chat; the hub stores what we return.
app.post('/trendstream/publish', async (request) => {
  const { channel, data, user } = request.body;
  if (!channel.startsWith('chat:')) return { result: {} };
  if (typeof data?.text !== 'string') return { error: { code: 'bad_message', message: 'text is required' } };
  if (data.text.length > 500) return { error: { code: 'too_long', message: 'at most 500 characters' } };
  const text = data.text.replace(BLOCKED_WORDS, (word) => '*'.repeat(word.length));
  app.log.info({ user, channel }, 'chat message moderated');
  return { result: { data: { ...data, text } } };
});

// Webhooks: check the signature, then handle each batch once (retries reuse the webhook id).
const seenWebhooks = new Set();
const events = [];
app.post('/trendstream/webhooks', async (request, reply) => {
  if (!validSignature(request.rawBody ?? '', request.headers['x-trendstream-signature'])) {
    return reply.code(401).send({ error: 'bad signature' });
  }
  const id = request.headers['x-trendstream-webhook-id'];
  if (!seenWebhooks.has(id)) {
    seenWebhooks.add(id);
    events.push(...request.body.events);
  }
  return reply.code(204).send();
});

// What the webhooks told us (a real app would update its database instead).
app.get('/events', async () => ({ events }));

function validSignature(rawBody, header) {
  if (typeof header !== 'string' || !header.startsWith('sha256=')) return false;
  const expected = createHmac('sha256', WEBHOOK_SECRET).update(rawBody).digest();
  const given = Buffer.from(header.slice('sha256='.length), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function cookieValue(header, name) {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}

const address = await app.listen({ port: PORT, host: process.env.HOST ?? '127.0.0.1' });
console.log(`backend listening on ${address}`);

/**
 * `trendstream`: the server API for embedding a hub in an application — start a node, configure it,
 * or give it an engine of your own through the engine seams (Broker, PresenceManager).
 */
export { startServer, type RunningServer, type StartOptions } from './server/start-server.ts';
export { DEFAULT_CONFIG, resolveConfig, type ServerConfig } from './server/config.ts';
export { NO_FEEDS, type FeedSwitches } from './feeds/feed-switches.ts';
export type { Feed, FeedContext } from './feeds/types.ts';
export type { PriceSource } from './feeds/price-source.ts';
export { createEngine, type CreateEngineOptions } from './engine/create-engine.ts';
export { MemoryEngine } from './engine/memory/memory-engine.ts';
export { InvalidStateInputError } from './engine/state-input.ts';
export { CONNECTIONS_CHANNEL } from './engine/types.ts';
export type * from './engine/types.ts';
export { mintToken } from './server/identity.ts';
export {
  SIGNATURE_HEADER,
  WEBHOOK_ID_HEADER,
  signWebhookBody,
  verifyWebhookSignature,
} from './server/webhooks/webhook-signature.ts';
export type { NamespacesConfig, NamespaceSettings } from './server/namespace-config.ts';

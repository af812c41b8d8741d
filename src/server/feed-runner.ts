/**
 * Runs the built-in feeds against the hub: gives each a FeedContext, and starts them only while this
 * node is the cluster's feed leader (always, with the memory engine).
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Engine } from '../engine/types.ts';
import { Channel } from '../protocol/channels.ts';
import type { ActivityPayload } from '../protocol/payloads.ts';
import type { Feed, FeedContext } from '../feeds/types.ts';
import type { Hub } from './hub.ts';

export class FeedRunner {
  #release: (() => void) | undefined;
  readonly context: FeedContext;

  constructor(
    private readonly feeds: Feed[],
    hub: Hub,
    private readonly engine: Engine,
    log: Logger,
    deliveryRate: () => number,
  ) {
    const publish = async (channel: string, data: unknown): Promise<void> => {
      await hub.publish(channel, data);
    };
    this.context = {
      publish,
      activity: (entry) => {
        const payload: ActivityPayload = { id: randomUUID(), timestamp: new Date().toISOString(), ...entry };
        return publish(Channel.Events, payload);
      },
      deliveryRate,
      connectionCount: () => hub.connectionCount,
      log,
    };
  }

  start(): void {
    if (this.feeds.length === 0) return;
    this.#release = this.engine.runAsLeader('feeds', {
      start: () => this.feeds.forEach((feed) => feed.start(this.context)),
      stop: () => this.feeds.forEach((feed) => feed.stop()),
    });
  }

  stop(): void {
    this.#release?.();
    this.#release = undefined;
  }
}

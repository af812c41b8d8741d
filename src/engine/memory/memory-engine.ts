/** The embedded default engine: everything in this process, nothing to install. */
import { MemoryBroker } from './memory-broker.ts';
import { MemoryPresence } from './memory-presence.ts';
import { MemoryWebhookLog } from './memory-webhook-log.ts';
import { publicationEvent } from '../webhook-events.ts';
import type { Engine, LeaderTask, WebhookLog, WebhookLogOptions } from '../types.ts';

export class MemoryEngine implements Engine {
  readonly name = 'memory';
  readonly broker = new MemoryBroker();
  readonly presence = new MemoryPresence();
  #webhookLog: MemoryWebhookLog | undefined;

  webhookLog(options: WebhookLogOptions): WebhookLog {
    if (this.#webhookLog) this.#webhookLog.options = options;
    else {
      const log = new MemoryWebhookLog(options);
      this.broker.webhookSink = (publication) => void log.append(publicationEvent(publication));
      this.#webhookLog = log;
    }
    return this.#webhookLog;
  }

  /** A single process is always the leader. Releasing twice stops the task once. */
  runAsLeader(_name: string, task: LeaderTask): () => void {
    task.start();
    let running = true;
    return function release() {
      if (!running) return;
      running = false;
      task.stop();
    };
  }

  healthy(): boolean {
    return true;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

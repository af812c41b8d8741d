/**
 * The soak's client population: SDK clients that subscribe like the web app does (every one to
 * `events` and `trends`, half to a counter, one in ten to a chat room), and churn — random clients
 * disconnect and come back a few seconds later, resuming from where they were. Each client's `events`
 * stream is checked message by message (see test/reliability/sequence-recorder.ts).
 */
import { createClient } from '../../src/client/node.ts';
import type { TrendStreamClient } from '../../src/client/types.ts';
import type { SeededRandom } from '../reliability/seeded-random.ts';
import { SequenceRecorder } from '../reliability/sequence-recorder.ts';

export const COUNTER_CHANNEL = 'counter:soak';
export const CHAT_CHANNEL = 'chat:soak';

export interface Member {
  readonly client: TrendStreamClient;
  readonly events: SequenceRecorder;
  counterValue: number | undefined;
  readonly counterSubscriber: boolean;
  readonly chatSubscriber: boolean;
  offline: boolean;
}

export class SoakFleet {
  readonly members: Member[] = [];
  churned = 0;
  #churnTimer: NodeJS.Timeout | undefined;
  readonly #comebacks = new Set<NodeJS.Timeout>();

  constructor(
    private readonly url: string,
    private readonly random: SeededRandom,
  ) {}

  /** Creates `count` clients, a batch at a time, and waits until each has subscribed to `events`. */
  async connect(count: number, batch = 100): Promise<void> {
    for (let i = 0; i < count; i += 1) {
      this.members.push(this.#createMember(i));
      if ((i + 1) % batch === 0) await sleep(200);
    }
    await until(() => this.members.every((m) => m.events.subscribedOnce), 'the fleet to subscribe', 120_000);
  }

  /** Every second, `perSecond` random online clients go offline for 1–5 s. */
  startChurn(perSecond: number): void {
    this.#churnTimer = setInterval(() => {
      for (let i = 0; i < perSecond; i += 1) {
        const member = this.members[this.random.int(0, this.members.length - 1)];
        if (member.offline) continue;
        member.offline = true;
        member.client.disconnect();
        this.churned += 1;
        const comeback = setTimeout(
          () => {
            this.#comebacks.delete(comeback);
            member.offline = false;
            member.client.connect();
          },
          this.random.int(1000, 5000),
        );
        this.#comebacks.add(comeback);
      }
    }, 1000);
  }

  /** Stops churning and brings every offline client back at once. */
  stopChurn(): void {
    clearInterval(this.#churnTimer);
    for (const comeback of this.#comebacks) clearTimeout(comeback);
    this.#comebacks.clear();
    for (const member of this.members) {
      if (!member.offline) continue;
      member.offline = false;
      member.client.connect();
    }
  }

  /** A random client that is online and subscribed to `channel`'s group, for publishing. */
  pick(predicate: (member: Member) => boolean): Member | undefined {
    for (let attempt = 0; attempt < 20; attempt += 1) {
      const member = this.members[this.random.int(0, this.members.length - 1)];
      if (!member.offline && member.client.state === 'connected' && predicate(member)) return member;
    }
    return undefined;
  }

  close(): void {
    this.stopChurn();
    for (const member of this.members) member.client.disconnect();
  }

  #createMember(index: number): Member {
    const client = createClient(this.url, {
      name: `soak-${index}`,
      baseDelayMs: 200,
      maxDelayMs: 2000,
      pingIntervalMs: 10_000,
    });
    const events = new SequenceRecorder();
    client.on('status', events.onStatus);
    const member: Member = {
      client,
      events,
      counterValue: undefined,
      counterSubscriber: index % 2 === 0,
      chatSubscriber: index % 10 === 0,
      offline: false,
    };
    client.subscribe('events', { onPublication: events.onPublication, onSubscribed: events.onSubscribed });
    client.subscribe('trends');
    if (member.counterSubscriber) {
      client.subscribe(COUNTER_CHANNEL, {
        onSubscribed: (info) => {
          if (!info.recovered) member.counterValue = info.snapshot?.value;
        },
        onPublication: (p) => (member.counterValue = p.data.value),
      });
    }
    if (member.chatSubscriber) client.subscribe(CHAT_CHANNEL);
    return member;
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function until(condition: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

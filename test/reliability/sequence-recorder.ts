/**
 * What one SDK client saw of a sequenced stream (publications carrying `{n}`, 0, 1, 2…), checked as it
 * arrives: every `n` exactly once and in order. Also keeps its (re)subscriptions and status changes,
 * so a suite can tell "recovered from history" from "resynced from a snapshot" and count reconnects.
 */
import type { PublicationFrame, StatusEvent, SubscribedInfo } from '../../src/client/types.ts';

export interface SequenceViolation {
  expected: number;
  got: number;
}

export class SequenceRecorder {
  /** The next `n` this client should receive. */
  nextExpected = 0;
  /** Publications checked (duplicates and out-of-order ones included). */
  received = 0;
  readonly violations: SequenceViolation[] = [];
  readonly subscriptions: SubscribedInfo[] = [];
  readonly statuses: StatusEvent[] = [];

  onPublication = (publication: PublicationFrame): void => {
    const n = (publication.data as { n?: unknown }).n;
    if (typeof n !== 'number') return;
    this.received += 1;
    if (n !== this.nextExpected) this.violations.push({ expected: this.nextExpected, got: n });
    this.nextExpected = Math.max(this.nextExpected, n + 1);
  };

  onSubscribed = (info: SubscribedInfo): void => {
    this.subscriptions.push(info);
  };

  onStatus = (status: StatusEvent): void => {
    this.statuses.push(status);
  };

  get subscribedOnce(): boolean {
    return this.subscriptions.length > 0;
  }

  /** Resubscriptions after the first one, and how many of them could not recover from history. */
  get resubscriptions(): number {
    return Math.max(0, this.subscriptions.length - 1);
  }

  get unrecovered(): SubscribedInfo[] {
    return this.subscriptions.slice(1).filter((info) => !info.recovered);
  }

  get reconnects(): number {
    return this.statuses.filter((s) => s.state === 'reconnecting').length;
  }
}

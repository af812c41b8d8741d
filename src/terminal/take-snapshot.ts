/**
 * `watch --once`: wait for one full trends dataset on `trends` (the subscription's snapshot, or
 * the next tick when the hub has none yet), then hand it back. Fails fast when the first
 * connection fails, and after `timeoutMs` when no trends come, so scripts never hang.
 * The subscription stays: the caller disconnects the client right after.
 */
import type { StatusEvent, TrendStreamClient } from '../client/types.ts';
import { Channel } from '../protocol/channels.ts';
import type { TrendsPayload } from '../protocol/payloads.ts';

export interface TakeSnapshotOptions {
  url: string;
  timeoutMs: number;
}

function describeClose(status: StatusEvent): string {
  if (status.reason !== undefined && status.reason !== '') return `: ${status.reason}`;
  if (status.code !== undefined) return ` (close code ${status.code})`;
  return '';
}

export function takeTrendsSnapshot(
  client: TrendStreamClient,
  options: TakeSnapshotOptions,
): Promise<TrendsPayload> {
  return new Promise<TrendsPayload>(function waitForTrends(resolve, reject) {
    let connected = client.state === 'connected';
    let done = false;

    function finish(error: Error | undefined, payload?: TrendsPayload): void {
      if (done) return;
      done = true;
      clearTimeout(timer);
      offStatus();
      if (error !== undefined) reject(error);
      else if (payload !== undefined) resolve(payload);
    }

    // The SDK checks payloads against the channel catalogue: a TrendsPayload or nothing arrives.
    function accept(payload: TrendsPayload): void {
      finish(undefined, payload);
    }

    const timer = setTimeout(function onTimeout() {
      finish(
        new Error(
          connected
            ? `no trends from ${options.url} within ${options.timeoutMs} ms (is the trends feed on?)`
            : `could not connect to ${options.url} within ${options.timeoutMs} ms`,
        ),
      );
    }, options.timeoutMs);

    const offStatus = client.on('status', function onStatus(status) {
      if (status.state === 'connected') connected = true;
      if (status.state === 'reconnecting' && !connected) {
        finish(new Error(`could not connect to ${options.url}${describeClose(status)}`));
      } else if (status.state === 'disconnected') {
        // A terminal close (bad token...): the client will not retry.
        finish(new Error(`${options.url} closed the connection${describeClose(status)}`));
      }
    });

    client.subscribe(Channel.Trends, {
      onSubscribed: function onTrendsSubscribed(info) {
        if (info.snapshot !== undefined) accept(info.snapshot);
      },
      onPublication: function onTrendsPublication(publication) {
        accept(publication.data);
      },
      onError: function onTrendsError(error) {
        finish(new Error(`cannot subscribe to ${Channel.Trends}: ${error.message}`));
      },
    });
  });
}

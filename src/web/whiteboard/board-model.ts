/**
 * A whiteboard channel (`board:<name>`): the stroke list from the snapshot (late joiners see the whole
 * drawing), strokes from others as they are published, local segments sent as publications, and
 * `clear` for everyone. The local user's own echoes are skipped: they were drawn while drawing.
 */
import { signal } from '@preact/signals';
import type { PublicationFrame, SubscribedInfo } from '../../client/types.ts';
import { boardChannel } from '../../protocol/channels.ts';
import { isBoardStroke } from '../../protocol/payload-guards.ts';
import type { BoardStroke } from '../../protocol/payloads.ts';
import { bindChannel, currentClientId, publish, type ChannelBinding } from '../lib/hub.ts';
import type { BoardModel } from './board-canvas.tsx';
import { isClear, strokesFromSnapshot } from './strokes.ts';

/** The hub keeps at most this many strokes per board (oldest dropped first). */
const MAX_STROKES = 5000;

type Change = { reset: true } | { reset: false; added: BoardStroke[] };

export interface BoardChannel extends BoardModel {
  readonly channel: string;
  /** Publications refused by the hub (e.g. rate limited), shown under the board. */
  readonly problem: { readonly value: string | undefined };
  clearForEveryone(): void;
  start(): void;
  stop(): void;
}

export function createBoardChannel(name: string): BoardChannel {
  const channel = boardChannel(name);
  const problem = signal<string | undefined>(undefined);
  const listeners = new Set<(change: Change) => void>();
  let strokes: BoardStroke[] = [];
  let binding: ChannelBinding | undefined;

  function emit(change: Change): void {
    for (const listener of listeners) listener(change);
  }

  function send(data: unknown): void {
    publish(channel, data).then(
      () => (problem.value = undefined),
      (error: unknown) => (problem.value = error instanceof Error ? error.message : String(error)),
    );
  }

  function onSubscribed(info: SubscribedInfo): void {
    if (!info.first && info.recovered) return;
    strokes = strokesFromSnapshot(info.snapshot);
    emit({ reset: true });
  }

  function onPublication(publication: PublicationFrame): void {
    if (isClear(publication.data)) {
      strokes = [];
      emit({ reset: true });
      return;
    }
    if (!isBoardStroke(publication.data)) return;
    strokes.push(publication.data);
    // Mirror the hub's bound on a board's snapshot, so a long session does not grow without limit.
    if (strokes.length > MAX_STROKES) strokes.splice(0, strokes.length - MAX_STROKES);
    const mine = publication.from !== undefined && publication.from.id === currentClientId();
    emit({ reset: false, added: mine ? [] : [publication.data] });
  }

  return {
    channel,
    problem,
    strokes: () => strokes,
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    commit(stroke) {
      send(stroke);
    },
    clearForEveryone() {
      strokes = [];
      emit({ reset: true });
      send({ op: 'clear' });
    },
    start() {
      binding ??= bindChannel(channel, { onSubscribed, onPublication });
    },
    stop() {
      binding?.stop();
      binding = undefined;
    },
  };
}

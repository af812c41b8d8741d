/**
 * A whiteboard channel (`board:<name>`): the stroke list from the snapshot (late joiners see the whole
 * drawing), strokes from others as they are published, local segments sent as publications, and
 * `clear` for everyone, which can be undone for a while (board-undo.ts). The local user's own echoes
 * are not drawn again: they were drawn while drawing (or, for restored strokes, when undo was pressed).
 */
import { signal } from '@preact/signals';
import type { PublicationFrame, SubscribedInfo } from '../../client/types.ts';
import { boardChannel } from '../../protocol/channels.ts';
import { isBoardStroke } from '../../protocol/payload-guards.ts';
import type { BoardStroke } from '../../protocol/payloads.ts';
import { bindChannel, currentClientId, publish, type ChannelBinding } from '../lib/hub.ts';
import type { BoardModel } from './board-canvas.tsx';
import { joinSegments, offerUndo, resendStrokes, restoring, takeUndo } from './board-undo.ts';
import { isClear, strokesFromSnapshot } from './strokes.ts';

/** The hub keeps at most this many strokes per board (oldest dropped first). */
const MAX_STROKES = 5000;

type Change = { reset: true } | { reset: false; added: BoardStroke[] };

export interface BoardChannel extends BoardModel {
  readonly channel: string;
  /** Publications refused by the hub (e.g. rate limited), shown under the board. */
  readonly problem: { readonly value: string | undefined };
  /** How many strokes the board has (to know whether there is anything to clear). */
  readonly strokeCount: { readonly value: number };
  /** The last clear by someone else: who, and when (server time). */
  readonly clearedBy: { readonly value: { name: string; timestamp: string } | undefined };
  /** Clears the board for everyone; the strokes it had can be restored with `undoClear` for a while. */
  clearForEveryone(): void;
  /** Publishes again the strokes the last clear of this board removed, if undo is still offered. */
  undoClear(): Promise<void>;
  start(): void;
  stop(): void;
}

export function createBoardChannel(name: string): BoardChannel {
  const channel = boardChannel(name);
  const problem = signal<string | undefined>(undefined);
  const strokeCount = signal(0);
  const clearedBy = signal<{ name: string; timestamp: string } | undefined>(undefined);
  const listeners = new Set<(change: Change) => void>();
  let strokes: BoardStroke[] = [];
  let binding: ChannelBinding | undefined;
  /** Restored strokes whose echo is still to come: drawn when it does (keys of strokeKey, counted). */
  const awaitedEchoes = new Map<string, number>();

  function emit(change: Change): void {
    strokeCount.value = strokes.length;
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
    awaitedEchoes.clear();
    emit({ reset: true });
  }

  function onPublication(publication: PublicationFrame): void {
    if (isClear(publication.data)) {
      strokes = [];
      const from = publication.from;
      if (from && from.id !== currentClientId()) {
        clearedBy.value = { name: from.name, timestamp: publication.timestamp };
      }
      emit({ reset: true });
      return;
    }
    if (!isBoardStroke(publication.data)) return;
    strokes.push(publication.data);
    // Mirror the hub's bound on a board's snapshot, so a long session does not grow without limit.
    if (strokes.length > MAX_STROKES) strokes.splice(0, strokes.length - MAX_STROKES);
    const mine = publication.from !== undefined && publication.from.id === currentClientId();
    emit({ reset: false, added: !mine || takeAwaited(publication.data) ? [publication.data] : [] });
  }

  function takeAwaited(stroke: BoardStroke): boolean {
    const key = strokeKey(stroke);
    const count = awaitedEchoes.get(key);
    if (count === undefined) return false;
    if (count <= 1) awaitedEchoes.delete(key);
    else awaitedEchoes.set(key, count - 1);
    return true;
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
    strokeCount,
    clearedBy,
    clearForEveryone() {
      offerUndo(channel, strokes);
      strokes = [];
      emit({ reset: true });
      send({ op: 'clear' });
    },
    async undoClear() {
      const removed = takeUndo(channel);
      if (!removed) return;
      const restored = joinSegments(removed);
      // Drawn here when their echoes arrive, like everyone else's strokes (after the clear's echo).
      for (const stroke of restored) {
        const key = strokeKey(stroke);
        awaitedEchoes.set(key, (awaitedEchoes.get(key) ?? 0) + 1);
      }
      restoring.value = { channel, sent: 0, total: restored.length };
      const failed = await resendStrokes(
        restored,
        (stroke) => publish(channel, stroke),
        (sent) => (restoring.value = { channel, sent, total: restored.length }),
      );
      restoring.value = undefined;
      if (failed > 0) {
        problem.value = `${failed} of ${restored.length} strokes could not be restored`;
      } else {
        problem.value = undefined;
      }
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

/** Identifies a stroke by what it draws (the hub echoes a publication with the same fields). */
function strokeKey(stroke: BoardStroke): string {
  return `${stroke.color}/${stroke.size}/${stroke.points.join(';')}`;
}

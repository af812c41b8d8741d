/**
 * Undo for "clear for everyone". The strokes a clear removed are kept for UNDO_MS; undoing publishes
 * them again, so every member (and the board's snapshot, for people who join later) gets them back.
 * Before they are sent, consecutive segments of one line are joined again (a drawn line is sent as
 * many short segments), and the sending is paced to stay well inside the hub's rate limit.
 */
import { signal } from '@preact/signals';
import type { BoardStroke } from '../../protocol/payloads.ts';

/** How long "Undo" is offered after a clear. */
export const UNDO_MS = 10_000;
/** Points in one re-sent stroke (the hub accepts up to 1000 and 64 KB frames: this stays well under both). */
const MAX_JOINED_POINTS = 500;
/**
 * Pacing of the re-sent strokes: a first burst, then this many a second. The hub's default limit is
 * 50 messages a second with a burst of 100 per connection, which drawing and pings share.
 */
const RESEND_BURST = 20;
const RESEND_PER_SECOND = 20;
/** A stroke refused (e.g. rate limited) is tried again this much later, this many times. */
const RETRY_AFTER_MS = 1000;
const RETRIES = 2;

export interface PendingUndo {
  /** The board channel that was cleared. */
  channel: string;
  /** The strokes it had, in drawing order. */
  strokes: readonly BoardStroke[];
  /** Epoch ms after which undo is no longer offered. */
  until: number;
}

/** The clear this page may still undo (one at a time: a newer clear replaces it). */
export const pendingUndo = signal<PendingUndo | undefined>(undefined);
/** While strokes are being re-sent: how many of how many. */
export const restoring = signal<{ channel: string; sent: number; total: number } | undefined>(undefined);

let expiry: ReturnType<typeof setTimeout> | undefined;

/** Offer undo for a clear of `channel` that removed `strokes` (nothing to offer for an empty board). */
export function offerUndo(channel: string, strokes: readonly BoardStroke[]): void {
  clearTimeout(expiry);
  if (strokes.length === 0) {
    pendingUndo.value = undefined;
    return;
  }
  pendingUndo.value = { channel, strokes, until: Date.now() + UNDO_MS };
  expiry = setTimeout(() => (pendingUndo.value = undefined), UNDO_MS);
}

/** Take the pending undo for `channel` (it is then no longer offered). */
export function takeUndo(channel: string): readonly BoardStroke[] | undefined {
  const pending = pendingUndo.peek();
  if (!pending || pending.channel !== channel || Date.now() > pending.until) return undefined;
  clearTimeout(expiry);
  pendingUndo.value = undefined;
  return pending.strokes;
}

export function dismissUndo(): void {
  clearTimeout(expiry);
  pendingUndo.value = undefined;
}

/**
 * Joins each segment to the one before it when it continues it (same colour and size, starting where
 * the previous one ended), which draws the same picture with far fewer publications. Dots stay dots.
 */
export function joinSegments(strokes: readonly BoardStroke[]): BoardStroke[] {
  const joined: BoardStroke[] = [];
  for (const stroke of strokes) {
    const previous = joined[joined.length - 1];
    const end = previous?.points[previous.points.length - 1];
    const start = stroke.points[0];
    if (
      previous &&
      end &&
      start &&
      previous.points.length > 1 &&
      stroke.points.length > 1 &&
      previous.color === stroke.color &&
      previous.size === stroke.size &&
      end[0] === start[0] &&
      end[1] === start[1] &&
      previous.points.length + stroke.points.length - 1 <= MAX_JOINED_POINTS
    ) {
      previous.points.push(...stroke.points.slice(1));
      continue;
    }
    joined.push({ op: 'stroke', points: [...stroke.points], color: stroke.color, size: stroke.size });
  }
  return joined;
}

/**
 * Sends `strokes` in order, paced (see RESEND_*); a refused one is retried a little later. Resolves
 * with how many could not be sent; `progress` is called as acks arrive.
 */
export async function resendStrokes(
  strokes: readonly BoardStroke[],
  send: (stroke: BoardStroke) => Promise<unknown>,
  progress: (sent: number) => void = () => {},
): Promise<number> {
  let sent = 0;
  let failed = 0;
  const sendWithRetry = async (stroke: BoardStroke): Promise<void> => {
    for (let attempt = 0; ; attempt += 1) {
      try {
        await send(stroke);
        sent += 1;
        progress(sent);
        return;
      } catch (error) {
        if (attempt >= RETRIES) {
          console.warn('[board] a stroke could not be restored', error);
          failed += 1;
          return;
        }
        await delay(RETRY_AFTER_MS * (attempt + 1));
      }
    }
  };
  const inFlight: Array<Promise<void>> = [];
  for (const [index, stroke] of strokes.entries()) {
    if (index >= RESEND_BURST) await delay(1000 / RESEND_PER_SECOND);
    inFlight.push(sendWithRetry(stroke));
  }
  await Promise.all(inFlight);
  return failed;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

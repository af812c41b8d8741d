/**
 * "X is typing…" for one room. Senders announce `{typing: true}` at most once a second while keys
 * are pressed and `{typing: false}` 2 s after the last keystroke (or on send); receivers also forget
 * a typist 3 s after the last announcement, in case the stop never arrives. The hub sends a member's
 * ephemeral messages back to it too: announcements from this page's own client are not shown.
 */
import { signal } from '@preact/signals';
import type { ClientInfo } from '../../client/types.ts';
import { isChatTyping } from '../../protocol/payload-guards.ts';

export const TYPING_IDLE_MS = 2000;
const ANNOUNCE_EVERY_MS = 1000;
const FORGET_AFTER_MS = 3000;

export interface TypingTracker {
  /** Names of the others typing now. */
  readonly typists: { readonly value: readonly string[] };
  /** Call on every keystroke in the message box. */
  keystroke(): void;
  /** Call when the message is sent. */
  stopped(): void;
  /** An ephemeral message from a member (this page's own are ignored). */
  receive(data: unknown, from: ClientInfo): void;
  /** A member left: they are not typing any more. */
  forget(clientId: string): void;
  dispose(): void;
}

/**
 * `announce` sends this page's typing state; `selfId` is this page's client id now (it changes when
 * the name does, since a new name is a new connection).
 */
export function createTypingTracker(
  announce: (typing: boolean) => void,
  selfId: () => string | undefined,
): TypingTracker {
  const typists = signal<readonly string[]>([]);
  const others = new Map<string, { name: string; timer: ReturnType<typeof setTimeout> }>();
  let lastAnnounced = 0;
  let typing = false;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;

  function publishTypists(): void {
    typists.value = [...others.values()].map((entry) => entry.name);
  }

  function forget(clientId: string): void {
    const entry = others.get(clientId);
    if (!entry) return;
    clearTimeout(entry.timer);
    others.delete(clientId);
    publishTypists();
  }

  function stopped(): void {
    clearTimeout(idleTimer);
    idleTimer = undefined;
    if (!typing) return;
    typing = false;
    lastAnnounced = 0;
    announce(false);
  }

  return {
    typists,
    keystroke() {
      const now = Date.now();
      if (!typing || now - lastAnnounced >= ANNOUNCE_EVERY_MS) {
        typing = true;
        lastAnnounced = now;
        announce(true);
      }
      clearTimeout(idleTimer);
      idleTimer = setTimeout(stopped, TYPING_IDLE_MS);
    },
    stopped,
    receive(data, from) {
      if (!isChatTyping(data) || from.id === selfId()) return;
      if (!data.typing) {
        forget(from.id);
        return;
      }
      const previous = others.get(from.id);
      if (previous) clearTimeout(previous.timer);
      others.set(from.id, { name: from.name, timer: setTimeout(() => forget(from.id), FORGET_AFTER_MS) });
      if (!previous) publishTypists();
    },
    forget,
    dispose() {
      clearTimeout(idleTimer);
      for (const entry of others.values()) clearTimeout(entry.timer);
      others.clear();
    },
  };
}

/** "Ann is typing…", "Ann and Bo are typing…", "3 people are typing…". */
export function typingSentence(names: readonly string[]): string {
  if (names.length === 0) return '';
  if (names.length === 1) return `${names[0]} is typing…`;
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`;
  return `${names.length} people are typing…`;
}

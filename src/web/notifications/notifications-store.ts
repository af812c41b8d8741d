/**
 * Notifications for the whole app: `notifications` (everyone) and, for a signed-in user,
 * `notifications#<user>` (personal). Each arrival becomes an unread entry behind the bell and a toast,
 * unless toasts are muted or the Notifications view (which lists it) is open. Recent history is loaded
 * once as already read, so a reload does not replay old toasts. Dismissed ids and the mute are kept in
 * localStorage, so a dismissed notification does not come back with the history after a reload.
 */
import { computed, effect, signal } from '@preact/signals';
import type { PublicationFrame, SubscribedInfo } from '../../client/types.ts';
import { Channel, personalNotificationsChannel } from '../../protocol/channels.ts';
import { isNotificationPayload } from '../../protocol/payload-guards.ts';
import type { NotificationPayload } from '../../protocol/payloads.ts';
import { scheduleRender } from '../lib/frame-scheduler.ts';
import { bindChannel, me, type ChannelBinding } from '../lib/hub.ts';
import { route } from '../lib/router.ts';

export const MAX_NOTIFICATIONS = 100;
const HISTORY_LIMIT = 20;
const TOAST_MS = 6000;
const MAX_TOASTS = 3;
/** Dismissed ids remembered (oldest forgotten first): far more than the history a reload brings back. */
export const MAX_DISMISSED = 200;
const DISMISSED_KEY = 'trendstream.notifications.dismissed';
const MUTED_KEY = 'trendstream.notifications.muted';

export interface NotificationEntry {
  payload: NotificationPayload;
  read: boolean;
}

export const notificationList = signal<readonly NotificationEntry[]>([]);
export const toasts = signal<readonly NotificationPayload[]>([]);
export const unreadCount = computed(() => notificationList.value.filter((entry) => !entry.read).length);
/** No toasts while true (remembered); notifications still arrive in the list and on the bell. */
export const toastsMuted = signal(loadMuted());

let entries: NotificationEntry[] = [];
let pendingToasts: NotificationPayload[] = [];
const toastTimers = new Map<string, ReturnType<typeof setTimeout>>();
/** Dismissed ids, oldest first (a Set keeps insertion order). */
const dismissed = new Set<string>(loadDismissed());
let toastsHeld = false;

export function startNotifications(): void {
  // The Notifications view lists every arrival: toasts there would repeat it, so they close.
  effect(() => {
    if (route.value === 'notifications') closeAllToasts();
  });
  const shared = bindChannel(
    Channel.Notifications,
    channelHandlers(() => shared),
  );
  let personal: ChannelBinding | undefined;
  effect(() => {
    const user = me.value?.user.user;
    personal?.stop();
    personal = undefined;
    if (user) {
      const binding = bindChannel(
        personalNotificationsChannel(user),
        channelHandlers(() => binding),
      );
      personal = binding;
    }
  });
}

export function markRead(id: string): void {
  entries = entries.map((entry) =>
    entry.payload.id === id && !entry.read ? { ...entry, read: true } : entry,
  );
  notificationList.value = entries;
}

export function markAllRead(): void {
  entries = entries.map((entry) => (entry.read ? entry : { ...entry, read: true }));
  notificationList.value = entries;
}

export function dismiss(id: string): void {
  entries = entries.filter((entry) => entry.payload.id !== id);
  notificationList.value = entries;
  closeToast(id);
  dismissed.delete(id);
  dismissed.add(id);
  for (const oldest of dismissed) {
    if (dismissed.size <= MAX_DISMISSED) break;
    dismissed.delete(oldest);
  }
  store(DISMISSED_KEY, JSON.stringify([...dismissed]));
}

export function setToastsMuted(muted: boolean): void {
  toastsMuted.value = muted;
  store(MUTED_KEY, muted ? '1' : '0');
  if (muted) closeAllToasts();
}

export function closeToast(id: string): void {
  clearTimeout(toastTimers.get(id));
  toastTimers.delete(id);
  pendingToasts = pendingToasts.filter((toast) => toast.id !== id);
  toasts.value = toasts.peek().filter((toast) => toast.id !== id);
  // Nothing left to hover: the next toasts time out as usual.
  if (toasts.peek().length === 0 && pendingToasts.length === 0) toastsHeld = false;
}

function closeAllToasts(): void {
  for (const timer of toastTimers.values()) clearTimeout(timer);
  toastTimers.clear();
  pendingToasts = [];
  toastsHeld = false;
  if (toasts.peek().length > 0) toasts.value = [];
}

/**
 * While the pointer or focus is on the toasts they stay (time to read them, or to reach a button);
 * they close TOAST_MS after it leaves.
 */
export function holdToasts(held: boolean): void {
  if (held === toastsHeld) return;
  toastsHeld = held;
  for (const timer of toastTimers.values()) clearTimeout(timer);
  toastTimers.clear();
  if (!held) for (const toast of [...toasts.peek(), ...pendingToasts]) startToastTimer(toast.id);
}

function channelHandlers(binding: () => ChannelBinding | undefined) {
  return {
    onPublication(publication: PublicationFrame) {
      if (isNotificationPayload(publication.data)) add([publication.data], false);
    },
    onSubscribed(info: SubscribedInfo) {
      if (!info.first && info.recovered) return;
      const subscription = binding()?.subscription;
      subscription
        ?.history({ limit: HISTORY_LIMIT })
        .then((reply) => {
          const payloads = reply.publications
            .map((publication) => publication.data)
            .filter(isNotificationPayload);
          // First load: old news, already read. After an unrecovered reconnect: missed while offline.
          add(payloads, info.first);
        })
        .catch((error: unknown) => console.warn('[notifications]', error));
    },
  };
}

function add(payloads: NotificationPayload[], asRead: boolean): void {
  const known = new Set(entries.map((entry) => entry.payload.id));
  const fresh = payloads.filter((payload) => !known.has(payload.id) && !dismissed.has(payload.id));
  if (fresh.length === 0) return;
  entries = [...fresh.map((payload) => ({ payload, read: asRead })), ...entries]
    .sort((a, b) => Date.parse(b.payload.timestamp) - Date.parse(a.payload.timestamp))
    .slice(0, MAX_NOTIFICATIONS);
  if (!asRead && showsToasts()) for (const payload of fresh.slice(-MAX_TOASTS)) queueToast(payload);
  scheduleRender(renderNotifications);
}

function showsToasts(): boolean {
  return !toastsMuted.peek() && route.peek() !== 'notifications';
}

function queueToast(payload: NotificationPayload): void {
  pendingToasts.push(payload);
  if (!toastsHeld) startToastTimer(payload.id);
}

function startToastTimer(id: string): void {
  clearTimeout(toastTimers.get(id));
  toastTimers.set(
    id,
    setTimeout(() => closeToast(id), TOAST_MS),
  );
}

function renderNotifications(): void {
  notificationList.value = entries;
  if (pendingToasts.length > 0) {
    const all = [...toasts.peek(), ...pendingToasts];
    // The oldest give way to the newest; their timers go with them.
    for (const dropped of all.slice(0, -MAX_TOASTS)) {
      clearTimeout(toastTimers.get(dropped.id));
      toastTimers.delete(dropped.id);
    }
    toasts.value = all.slice(-MAX_TOASTS);
    pendingToasts = [];
  }
}

function loadDismissed(): string[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(DISMISSED_KEY) ?? '[]');
    if (!Array.isArray(parsed)) return [];
    return parsed.filter((id): id is string => typeof id === 'string').slice(-MAX_DISMISSED);
  } catch {
    return [];
  }
}

function loadMuted(): boolean {
  try {
    return localStorage.getItem(MUTED_KEY) === '1';
  } catch {
    return false;
  }
}

function store(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Storage disabled or full: remembered for this page only.
  }
}

/**
 * Notifications for the whole app: `notifications` (everyone) and, for a signed-in user,
 * `notifications#<user>` (personal). Each arrival becomes a toast and an unread entry behind the bell.
 * Recent history is loaded once as already read, so a reload does not replay old toasts.
 */
import { computed, effect, signal } from '@preact/signals';
import type { PublicationFrame, SubscribedInfo } from '../../client/types.ts';
import { Channel, personalNotificationsChannel } from '../../protocol/channels.ts';
import { isNotificationPayload } from '../../protocol/payload-guards.ts';
import type { NotificationPayload } from '../../protocol/payloads.ts';
import { scheduleRender } from '../lib/frame-scheduler.ts';
import { bindChannel, me, type ChannelBinding } from '../lib/hub.ts';

export const MAX_NOTIFICATIONS = 100;
const HISTORY_LIMIT = 20;
const TOAST_MS = 5000;
const MAX_TOASTS = 4;

export interface NotificationEntry {
  payload: NotificationPayload;
  read: boolean;
}

export const notificationList = signal<readonly NotificationEntry[]>([]);
export const toasts = signal<readonly NotificationPayload[]>([]);
export const unreadCount = computed(() => notificationList.value.filter((entry) => !entry.read).length);

let entries: NotificationEntry[] = [];
let pendingToasts: NotificationPayload[] = [];
const toastTimers = new Map<string, ReturnType<typeof setTimeout>>();

export function startNotifications(): void {
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
}

export function closeToast(id: string): void {
  clearTimeout(toastTimers.get(id));
  toastTimers.delete(id);
  toasts.value = toasts.peek().filter((toast) => toast.id !== id);
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
  const fresh = payloads.filter((payload) => !known.has(payload.id));
  if (fresh.length === 0) return;
  entries = [...fresh.map((payload) => ({ payload, read: asRead })), ...entries]
    .sort((a, b) => Date.parse(b.payload.timestamp) - Date.parse(a.payload.timestamp))
    .slice(0, MAX_NOTIFICATIONS);
  if (!asRead) for (const payload of fresh.slice(-MAX_TOASTS)) queueToast(payload);
  scheduleRender(renderNotifications);
}

function queueToast(payload: NotificationPayload): void {
  pendingToasts.push(payload);
  toastTimers.set(
    payload.id,
    setTimeout(() => closeToast(payload.id), TOAST_MS),
  );
}

function renderNotifications(): void {
  notificationList.value = entries;
  if (pendingToasts.length > 0) {
    toasts.value = [...toasts.peek(), ...pendingToasts].slice(-MAX_TOASTS);
    pendingToasts = [];
  }
}

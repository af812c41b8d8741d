/**
 * The app's one connection to the hub, through the client SDK. It owns the client's lifecycle
 * (including replacing it when the user picks another display name), mirrors the connection state
 * into signals for the status indicator and stats panel, pings for latency, and keeps a registry of
 * channel bindings so every view's subscriptions follow the client across a replacement.
 */
import { signal } from '@preact/signals';
import { createClient } from '../../client/index.ts';
import type {
  ClientInfo,
  ClientState,
  PublishAck,
  StatusEvent,
  Subscription,
  SubscriptionHandlers,
  TrendStreamClient,
} from '../../client/types.ts';
import { scheduleRender } from './frame-scheduler.ts';
import { resolveWsUrl } from './ws-url.ts';

const NAME_KEY = 'trendstream.name';
const PING_INTERVAL_MS = 5000;

export const wsUrl = resolveWsUrl(window.location);

/** Connection state for the status indicator. */
export const connectionState = signal<ClientState>('connecting');
/** While reconnecting: the attempt number and when it starts (epoch ms). */
export const reconnectAttempt = signal(0);
export const reconnectAt = signal<number | undefined>(undefined);
/**
 * The last close the hub sent (e.g. 1012 "server restarting") and when it came: failed retries after it
 * (1006, no close frame) do not replace it; they are `lastFailure`.
 */
export const lastClose = signal<{ code: number; reason: string; at: number } | undefined>(undefined);
/**
 * While reconnecting after a failure that was not the hub closing (1006: no close frame, a timeout):
 * its code and reason, and how many retries have failed so far.
 */
export const lastFailure = signal<{ code?: number; reason: string; failed: number } | undefined>(undefined);
export const browserOnline = signal(navigator.onLine);
export const clientCount = signal<number | undefined>(undefined);
export const latencyMs = signal<number | undefined>(undefined);
export const messagesReceived = signal(0);
/** This tab's connection: its client id, identity, and the hub node serving it (behind a balancer). */
export const me = signal<{ clientId: string; node: string; user: ClientInfo } | undefined>(undefined);
export const userName = signal(loadUserName());
/** True once the user picked a name (now or on an earlier visit); chat waits for it. */
export const userNameChosen = signal(savedUserName() !== undefined);

let receivedCount = 0;
let seenServerClose: TrendStreamClient['lastServerClose'];
let client: TrendStreamClient = openClient(userName.peek());
let pingTimer: ReturnType<typeof setInterval> | undefined;

interface BindingRecord {
  channel: string;
  handlers: SubscriptionHandlers;
  subscription: Subscription | undefined;
}

const bindings = new Set<BindingRecord>();

/** A view's subscription to one channel; it survives reconnects and client replacement until `stop()`. */
export interface ChannelBinding {
  readonly channel: string;
  /** The live SDK subscription (replaced when the client is). */
  readonly subscription: Subscription | undefined;
  stop(): void;
}

export function bindChannel(channel: string, handlers: SubscriptionHandlers): ChannelBinding {
  const record: BindingRecord = { channel, handlers, subscription: undefined };
  bindings.add(record);
  attach(record, client);
  return {
    channel,
    get subscription() {
      return record.subscription;
    },
    stop() {
      bindings.delete(record);
      const subscription = record.subscription;
      record.subscription = undefined;
      if (subscription) subscription.unsubscribe().catch(reportError);
    },
  };
}

/** Publish through the current client (queued by the SDK while offline). */
export function publish(channel: string, data: unknown): Promise<PublishAck> {
  return client.publish(channel, data);
}

export function connect(): void {
  client.connect();
}

/** "Retry now": skip the rest of the backoff and connect at once. */
export function retryNow(): void {
  client.reconnectNow();
  if (connectionState.peek() === 'reconnecting') reconnectAt.value = Date.now();
}

export function disconnect(): void {
  client.disconnect();
}

/** Use another display name: the connection is replaced and every binding moves to the new one. */
export function setUserName(name: string): void {
  const trimmed = name.trim().slice(0, 32);
  if (!trimmed) return;
  userNameChosen.value = true;
  if (trimmed === userName.peek()) {
    saveUserName(trimmed);
    return;
  }
  saveUserName(trimmed);
  userName.value = trimmed;
  // The old connection goes first, so rooms see "left" before the new name's "joined".
  const previous = client;
  client = openClient(trimmed);
  previous.disconnect();
  connectionState.value = 'connecting';
  me.value = undefined;
  for (const record of bindings) attach(record, client);
}

export function currentClientId(): string | undefined {
  return client.clientId;
}

/** Count one received message for the stats panel (rendered once per frame). */
export function countMessage(): void {
  receivedCount += 1;
  scheduleRender(renderMessageCount);
}

function renderMessageCount(): void {
  messagesReceived.value = receivedCount;
}

function attach(record: BindingRecord, owner: TrendStreamClient): void {
  record.subscription = owner.subscribe(record.channel, countingHandlers(record.handlers, owner));
}

/** Wraps a view's handlers: counts each message and drops late calls from a replaced client. */
function countingHandlers(handlers: SubscriptionHandlers, owner: TrendStreamClient): SubscriptionHandlers {
  const live = (): boolean => owner === client;
  return {
    onPublication(publication) {
      if (!live()) return;
      countMessage();
      handlers.onPublication?.(publication);
    },
    onSubscribed(info) {
      if (live()) handlers.onSubscribed?.(info);
    },
    onJoin(info) {
      if (!live()) return;
      countMessage();
      handlers.onJoin?.(info);
    },
    onLeave(info) {
      if (!live()) return;
      countMessage();
      handlers.onLeave?.(info);
    },
    onEphemeral(data, from) {
      if (!live()) return;
      countMessage();
      handlers.onEphemeral?.(data, from);
    },
    onError(error) {
      if (live()) handlers.onError?.(error);
    },
  };
}

function openClient(name: string): TrendStreamClient {
  const created = createClient(wsUrl, { name });
  created.on('status', (event) => {
    if (created === client) applyStatus(event, created);
  });
  created.on('client_count', (count) => {
    if (created !== client) return;
    countMessage();
    clientCount.value = count;
  });
  created.on('connection', (info) => {
    if (created !== client) return;
    countMessage();
    me.value = { clientId: info.clientId, node: info.node, user: info.user };
    clientCount.value = info.clientCount;
  });
  created.on('latency', (rtt) => {
    if (created === client) latencyMs.value = rtt;
  });
  created.on('error', reportError);
  return created;
}

function applyStatus(event: StatusEvent, owner: TrendStreamClient): void {
  connectionState.value = event.state;
  // The SDK makes a new object for each close the hub sends; failed retries leave it alone.
  const closed = owner.lastServerClose;
  const fromHub = closed !== undefined && closed !== seenServerClose;
  seenServerClose = closed;
  if (fromHub) lastClose.value = { ...closed, at: Date.now() };
  lastFailure.value =
    event.state === 'reconnecting' && !fromHub
      ? {
          code: event.code,
          reason: event.reason ?? '',
          failed: event.previous === 'reconnecting' ? (event.attempt ?? 1) - 1 : 0,
        }
      : undefined;
  if (event.state === 'reconnecting') {
    reconnectAttempt.value = event.attempt ?? reconnectAttempt.peek() + 1;
    reconnectAt.value = Date.now() + (event.delayMs ?? 0);
  } else {
    reconnectAt.value = undefined;
    if (event.state === 'connected') reconnectAttempt.value = 0;
  }
  if (event.state === 'connected') startPinging();
  else stopPinging();
}

function startPinging(): void {
  stopPinging();
  measureLatency();
  pingTimer = setInterval(measureLatency, PING_INTERVAL_MS);
}

function stopPinging(): void {
  if (pingTimer !== undefined) clearInterval(pingTimer);
  pingTimer = undefined;
}

function measureLatency(): void {
  client.ping().then(
    (rtt) => {
      countMessage();
      latencyMs.value = rtt;
    },
    () => {
      // The connection dropped mid-ping; the status indicator already says so.
    },
  );
}

function loadUserName(): string {
  return savedUserName() ?? `guest-${Math.floor(1000 + Math.random() * 9000)}`;
}

function savedUserName(): string | undefined {
  try {
    return localStorage.getItem(NAME_KEY) || undefined;
  } catch {
    return undefined;
  }
}

function saveUserName(name: string): void {
  try {
    localStorage.setItem(NAME_KEY, name);
  } catch {
    // Storage may be disabled; the name still applies to this page.
  }
}

function reportError(error: unknown): void {
  console.warn('[trendstream]', error);
}

window.addEventListener('online', () => (browserOnline.value = true));
window.addEventListener('offline', () => (browserOnline.value = false));

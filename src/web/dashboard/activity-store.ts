/**
 * The dashboard's activity feed (`events`): newest first, bounded, loaded from history on the first
 * subscription and whenever the stream could not be recovered. Frozen with the rest of the dashboard
 * while paused.
 */
import { signal } from '@preact/signals';
import type { PublicationFrame, SubscribedInfo } from '../../client/types.ts';
import { Channel } from '../../protocol/channels.ts';
import { isActivityPayload } from '../../protocol/payload-guards.ts';
import type { ActivityPayload } from '../../protocol/payloads.ts';
import { scheduleRender } from '../lib/frame-scheduler.ts';
import { bindChannel, type ChannelBinding } from '../lib/hub.ts';
import { dashboardPaused } from './metrics-store.ts';

export const MAX_ACTIVITY = 100;
const HISTORY_LIMIT = 30;

export const displayedActivity = signal<readonly ActivityPayload[]>([]);
export const activityStreaming = signal(false);

let entries: ActivityPayload[] = [];
let binding: ChannelBinding | undefined;

export function startActivity(): void {
  if (binding) return;
  activityStreaming.value = true;
  binding = bindChannel(Channel.Events, { onPublication, onSubscribed });
}

export function stopActivity(): void {
  binding?.stop();
  binding = undefined;
  activityStreaming.value = false;
}

export function clearActivity(): void {
  entries = [];
  displayedActivity.value = [];
}

export async function refreshActivity(): Promise<void> {
  await loadHistory();
}

/** Repaint after resume (the metrics store owns the pause switch). */
export function renderActivitySoon(): void {
  scheduleRender(renderActivity);
}

function onSubscribed(info: SubscribedInfo): void {
  if (info.first || !info.recovered) loadHistory().catch(reportError);
}

function onPublication(publication: PublicationFrame): void {
  if (!isActivityPayload(publication.data)) return;
  addEntries([publication.data]);
}

async function loadHistory(): Promise<void> {
  const subscription = binding?.subscription;
  if (!subscription) return;
  const reply = await subscription.history({ limit: HISTORY_LIMIT });
  addEntries(reply.publications.map((publication) => publication.data).filter(isActivityPayload));
}

/** Adds entries once each (by id), newest first. */
function addEntries(incoming: ActivityPayload[]): void {
  if (incoming.length === 0) return;
  const known = new Set(entries.map((entry) => entry.id));
  const fresh = incoming.filter((entry) => !known.has(entry.id));
  if (fresh.length === 0) return;
  entries = [...fresh, ...entries]
    .sort((a, b) => Date.parse(b.timestamp) - Date.parse(a.timestamp))
    .slice(0, MAX_ACTIVITY);
  scheduleRender(renderActivity);
}

function renderActivity(): void {
  if (dashboardPaused.peek()) return;
  displayedActivity.value = entries;
}

function reportError(error: unknown): void {
  console.warn('[activity]', error);
}

/**
 * Trends by category: each selected category is its own subscription (`trends:<category>`), so
 * filtering happens on the hub, not in the page. The selection is remembered across visits.
 */
import { computed, signal } from '@preact/signals';
import { trendCategoryChannel } from '../../protocol/channels.ts';
import { isTrendsPayload } from '../../protocol/payload-guards.ts';
import { TREND_CATEGORIES, type TrendCategory, type TrendTopic } from '../../protocol/payloads.ts';
import { scheduleRender } from '../lib/frame-scheduler.ts';
import { bindChannel, type ChannelBinding } from '../lib/hub.ts';

const SELECTION_KEY = 'trendstream.trendCategories';

export const selectedCategories = signal<ReadonlySet<TrendCategory>>(loadSelection());
export const topicsByCategory = signal<ReadonlyMap<TrendCategory, readonly TrendTopic[]>>(new Map());
export const lastTick = signal<string | undefined>(undefined);

/** Topics of the selected categories, highest score first. */
export const visibleTopics = computed(() => {
  const topics: TrendTopic[] = [];
  for (const category of selectedCategories.value)
    topics.push(...(topicsByCategory.value.get(category) ?? []));
  return topics.sort((a, b) => b.score - a.score);
});

const bindings = new Map<TrendCategory, ChannelBinding>();
let buffered = new Map<TrendCategory, readonly TrendTopic[]>();
let bufferedTick: string | undefined;

/** Subscribe to the selected categories (call on mount; `stopTrends` on unmount). */
export function startTrends(): void {
  for (const category of selectedCategories.peek()) bindCategory(category);
}

export function stopTrends(): void {
  for (const binding of bindings.values()) binding.stop();
  bindings.clear();
}

export function toggleCategory(category: TrendCategory): void {
  const next = new Set(selectedCategories.peek());
  if (next.has(category)) {
    next.delete(category);
    bindings.get(category)?.stop();
    bindings.delete(category);
  } else {
    next.add(category);
    bindCategory(category);
  }
  saveSelection(next);
}

export function selectAll(all: boolean): void {
  for (const category of TREND_CATEGORIES) {
    if (all !== selectedCategories.peek().has(category)) toggleCategory(category);
  }
}

function bindCategory(category: TrendCategory): void {
  if (bindings.has(category)) return;
  const accept = (data: unknown): void => {
    if (!isTrendsPayload(data)) return;
    buffered.set(
      category,
      data.topics.filter((topic) => topic.category === category),
    );
    bufferedTick = data.timestamp;
    scheduleRender(renderTrends);
  };
  bindings.set(
    category,
    bindChannel(trendCategoryChannel(category), {
      onSubscribed: (info) => accept(info.snapshot),
      onPublication: (publication) => accept(publication.data),
    }),
  );
}

function renderTrends(): void {
  topicsByCategory.value = new Map([...topicsByCategory.peek(), ...buffered]);
  buffered = new Map();
  if (bufferedTick) lastTick.value = bufferedTick;
}

function saveSelection(selection: Set<TrendCategory>): void {
  selectedCategories.value = selection;
  try {
    localStorage.setItem(SELECTION_KEY, JSON.stringify([...selection]));
  } catch {
    // Remembered for this page only.
  }
}

function loadSelection(): Set<TrendCategory> {
  try {
    const saved: unknown = JSON.parse(localStorage.getItem(SELECTION_KEY) ?? 'null');
    if (Array.isArray(saved)) {
      return new Set(TREND_CATEGORIES.filter((category) => saved.includes(category)));
    }
  } catch {
    // Fall back to every category.
  }
  return new Set(TREND_CATEGORIES);
}

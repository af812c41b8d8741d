/** @jsxImportSource preact */
/** Trends: category toggles, the sorted topic list with ▲/▼ changes, hot badges and sparklines. */
import { useEffect } from 'preact/hooks';
import { TREND_CATEGORIES } from '../../protocol/payloads.ts';
import { Sparkline } from '../components/sparkline.tsx';
import { formatClock, formatInteger } from '../lib/format.ts';
import {
  lastTick,
  selectAll,
  selectedCategories,
  startTrends,
  stopTrends,
  toggleCategory,
  visibleTopics,
} from './trends-store.ts';

export function TrendsView() {
  useEffect(() => {
    startTrends();
    return stopTrends;
  }, []);
  const selected = selectedCategories.value;
  const topics = visibleTopics.value;
  return (
    <section class="view trends" aria-labelledby="trends-title">
      <header class="view-header">
        <h2 id="trends-title">Trends</h2>
        <p class="muted">
          {lastTick.value ? `updated ${formatClock(lastTick.value)}` : 'waiting for the first tick…'}
        </p>
      </header>
      <div class="chips" role="group" aria-label="Categories">
        {TREND_CATEGORIES.map((category) => (
          <button
            key={category}
            type="button"
            class={`chip ${selected.has(category) ? 'on' : ''}`}
            aria-pressed={selected.has(category)}
            onClick={() => toggleCategory(category)}
          >
            {category}
          </button>
        ))}
        <button
          type="button"
          class="chip ghost"
          onClick={() => selectAll(selected.size < TREND_CATEGORIES.length)}
        >
          {selected.size < TREND_CATEGORIES.length ? 'All' : 'None'}
        </button>
      </div>
      {selected.size === 0 ? (
        <p class="empty">Pick a category to watch its trends.</p>
      ) : topics.length === 0 ? (
        <p class="empty">No trends yet for these categories.</p>
      ) : (
        <ol class="trend-list" data-testid="trend-list">
          {topics.map((topic, index) => {
            const direction = topic.change > 0 ? 'up' : topic.change < 0 ? 'down' : 'flat';
            return (
              <li key={topic.id} class="trend-row">
                <span class="rank">{index + 1}</span>
                <span class="trend-name">
                  {topic.name}
                  {topic.hot ? <span class="badge-hot">HOT</span> : null}
                </span>
                <span class="trend-category">{topic.category}</span>
                <Sparkline values={topic.history} rising={topic.change >= 0} />
                <span class="trend-score">{formatInteger(topic.score)}</span>
                <span class={`trend-change ${direction}`}>
                  {direction === 'up' ? '▲' : direction === 'down' ? '▼' : '•'}{' '}
                  {formatInteger(Math.abs(topic.change))}
                </span>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

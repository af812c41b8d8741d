/** @jsxImportSource preact */
/** The activity feed: newest first, coloured by level, bounded; says so when its stream is off. */
import { formatClock } from '../lib/format.ts';
import { activityStreaming, displayedActivity } from './activity-store.ts';

export function ActivityFeed() {
  const entries = displayedActivity.value;
  return (
    <section class="card activity" aria-labelledby="activity-title" data-testid="activity">
      <h3 id="activity-title" class="card-title">
        Activity <span class="muted">({entries.length})</span>
        {activityStreaming.value ? null : (
          <span class="pill pill-warn stream-off" data-testid="activity-off">
            stream off: not updating
          </span>
        )}
      </h3>
      {entries.length === 0 ? (
        <p class="empty">Nothing yet: connections, subscriptions, hot trends and alerts show up here.</p>
      ) : (
        <ol class="activity-list">
          {entries.map((entry) => (
            <li key={entry.id} class={`activity-item level-${entry.level}`}>
              <time dateTime={entry.timestamp}>{formatClock(entry.timestamp)}</time>
              <span class="activity-kind">{entry.kind}</span>
              <span class="activity-message">{entry.message}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

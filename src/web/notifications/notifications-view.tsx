/** @jsxImportSource preact */
/**
 * The notifications list: every entry can be dismissed (for good: it stays dismissed after a reload)
 * or marked read, or all marked read at once; toasts can be muted. No toasts show while this is open.
 */
import { formatClock } from '../lib/format.ts';
import {
  dismiss,
  markAllRead,
  markRead,
  notificationList,
  setToastsMuted,
  toastsMuted,
  unreadCount,
} from './notifications-store.ts';

export function NotificationsView() {
  const list = notificationList.value;
  return (
    <section class="view notifications-view" aria-labelledby="notifications-title">
      <header class="view-header">
        <h2 id="notifications-title">Notifications</h2>
        <p class="muted">
          {unreadCount.value} unread of {list.length}
        </p>
        <div class="toolbar">
          <button
            type="button"
            role="switch"
            aria-checked={!toastsMuted.value}
            class={`switch ${toastsMuted.value ? 'off' : 'on'}`}
            onClick={() => setToastsMuted(!toastsMuted.peek())}
            title="Pop-up toasts when a notification arrives (they always go to this list)"
            data-testid="toasts-switch"
          >
            <span class="switch-track" aria-hidden="true">
              <span class="switch-thumb" />
            </span>
            Toasts {toastsMuted.value ? 'muted' : 'on'}
          </button>
          <button type="button" class="button" onClick={markAllRead} disabled={unreadCount.value === 0}>
            Mark all read
          </button>
        </div>
      </header>
      {list.length === 0 ? (
        <p class="empty">
          No notifications yet. They appear here
          {toastsMuted.value ? '' : ' (and as toasts on the other views)'} as the hub sends them.
        </p>
      ) : (
        <ul class="notification-list">
          {list.map(({ payload, read }) => (
            <li key={payload.id} class={`notification level-${payload.level} ${read ? 'read' : 'unread'}`}>
              <span class="level-dot" aria-hidden="true" />
              <div class="notification-body">
                <strong>{payload.title}</strong>
                <span>{payload.message}</span>
                <time dateTime={payload.timestamp}>{formatClock(payload.timestamp)}</time>
              </div>
              <div class="notification-actions">
                {read ? null : (
                  <button type="button" class="button small" onClick={() => markRead(payload.id)}>
                    Mark read
                  </button>
                )}
                <button
                  type="button"
                  class="icon-button"
                  aria-label={`Dismiss ${payload.title}`}
                  onClick={() => dismiss(payload.id)}
                >
                  ×
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

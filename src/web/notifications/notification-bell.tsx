/** @jsxImportSource preact */
/** The header bell: unread count, whether toasts are muted, and a link to the notifications list. */
import { routeHref } from '../lib/router.ts';
import { toastsMuted, unreadCount } from './notifications-store.ts';

export function NotificationBell() {
  const count = unreadCount.value;
  const muted = toastsMuted.value;
  const label = `Notifications${muted ? ' (toasts muted)' : ''}, ${count === 0 ? 'none' : count} unread`;
  return (
    <a
      class={`bell icon-button ${muted ? 'muted' : ''}`}
      href={routeHref('notifications')}
      aria-label={label}
      data-testid="bell"
      title={label}
    >
      <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
        <path
          fill="currentColor"
          d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
        />
        {muted ? <path d="M4 3 21 20" stroke="currentColor" stroke-width="2" stroke-linecap="round" /> : null}
      </svg>
      {count > 0 ? (
        <span class="badge" data-testid="unread-count">
          {count > 99 ? '99+' : count}
        </span>
      ) : null}
    </a>
  );
}

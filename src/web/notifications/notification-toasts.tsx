/** @jsxImportSource preact */
/**
 * Toasts for notifications as they arrive; each closes by itself a few seconds after it appears (not
 * while the pointer or focus is on it) or on demand. Only the newest shows, with how many more there
 * are (a link to the list), so it covers nothing: on a wide screen it sits in the header between the
 * brand and the tools; on a narrow one it is one line hanging under the header, over the tab strip.
 * Never on the Notifications view, and not at all while muted (notifications-store.ts).
 */
import { routeHref } from '../lib/router.ts';
import { closeToast, holdToasts, markRead, toasts } from './notifications-store.ts';

export function NotificationToasts() {
  const all = toasts.value;
  const newest = all.slice(-1);
  const more = all.length - 1;
  return (
    <div
      class="toasts"
      aria-live="polite"
      aria-relevant="additions"
      data-count={all.length}
      onMouseEnter={() => holdToasts(true)}
      onMouseLeave={() => holdToasts(false)}
      onFocusIn={() => holdToasts(true)}
      onFocusOut={(event) => {
        const next = event.relatedTarget;
        if (!(next instanceof Node) || !event.currentTarget.contains(next)) holdToasts(false);
      }}
    >
      {newest.map((toast) => (
        <div key={toast.id} class={`toast level-${toast.level}`} role="status" data-testid="toast">
          <div class="toast-body">
            <strong class="toast-title">{toast.title}</strong>
            <span class="toast-message">{toast.message}</span>
          </div>
          {more > 0 ? (
            <a
              class="toast-more"
              href={routeHref('notifications')}
              aria-label={`${more} more new notification${more === 1 ? '' : 's'}: open the list`}
            >
              +{more}
            </a>
          ) : null}
          <button
            type="button"
            class="icon-button toast-close"
            aria-label={`Close notification: ${toast.title}`}
            onClick={() => {
              markRead(toast.id);
              closeToast(toast.id);
            }}
          >
            ×
          </button>
        </div>
      ))}
    </div>
  );
}

/** @jsxImportSource preact */
/** Toasts for notifications as they arrive; each closes by itself after a few seconds or on demand. */
import { closeToast, markRead, toasts } from './notifications-store.ts';

export function NotificationToasts() {
  return (
    <div class="toasts" aria-live="polite" aria-relevant="additions">
      {toasts.value.map((toast) => (
        <div key={toast.id} class={`toast level-${toast.level}`} role="status" data-testid="toast">
          <div class="toast-body">
            <strong class="toast-title">{toast.title}</strong>
            <span class="toast-message">{toast.message}</span>
          </div>
          <button
            type="button"
            class="icon-button"
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

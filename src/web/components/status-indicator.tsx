/** @jsxImportSource preact */
/**
 * The connection status pill: connected / connecting / reconnecting in Ns (attempt k) / offline.
 * While reconnecting it counts down to the next attempt, and a "Retry now" button beside it (outside
 * the live region, so it is not announced every second) skips the wait.
 */
import { useSignal, useSignalEffect } from '@preact/signals';
import { browserOnline, connectionState, reconnectAt, reconnectAttempt, retryNow } from '../lib/hub.ts';

export function StatusIndicator() {
  const now = useSignal(Date.now());
  useSignalEffect(() => {
    if (connectionState.value !== 'reconnecting') return undefined;
    const timer = setInterval(() => (now.value = Date.now()), 250);
    return () => clearInterval(timer);
  });
  const state = connectionState.value;
  const offline = state === 'disconnected' || !browserOnline.value;
  let kind: string;
  let text: string;
  let attempt = '';
  if (offline) {
    kind = 'offline';
    text = browserOnline.value ? 'Offline' : 'Offline (no network)';
  } else if (state === 'connected') {
    kind = 'connected';
    text = 'Connected';
  } else if (state === 'reconnecting') {
    kind = 'reconnecting';
    const seconds = Math.max(0, Math.ceil(((reconnectAt.value ?? now.value) - now.value) / 1000));
    // The wait is over (or was skipped): an attempt is under way.
    text = seconds > 0 ? `Reconnecting in ${seconds}s` : 'Reconnecting…';
    // Left out on a phone, where the pill and "Retry now" must fit beside the header's buttons.
    attempt = ` (attempt ${reconnectAttempt.value})`;
  } else {
    kind = 'connecting';
    text = 'Connecting…';
  }
  return (
    <div class="status-group">
      <div
        class={`status status-${kind}`}
        role="status"
        aria-live="polite"
        data-testid="status"
        data-state={kind}
      >
        <span class="status-dot" aria-hidden="true" />
        <span class="status-text">
          {text}
          {attempt ? <span class="status-attempt">{attempt}</span> : null}
        </span>
      </div>
      {kind === 'reconnecting' ? (
        <button type="button" class="button small status-retry" onClick={retryNow} data-testid="retry-now">
          Retry now
        </button>
      ) : null}
    </div>
  );
}

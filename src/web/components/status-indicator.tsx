/** @jsxImportSource preact */
/**
 * The connection status pill: connected / connecting / reconnecting in Ns (attempt k) / offline.
 * While reconnecting it counts down to the next attempt.
 */
import { useSignal, useSignalEffect } from '@preact/signals';
import { browserOnline, connectionState, reconnectAt, reconnectAttempt } from '../lib/hub.ts';

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
  if (offline) {
    kind = 'offline';
    text = browserOnline.value ? 'Offline' : 'Offline (no network)';
  } else if (state === 'connected') {
    kind = 'connected';
    text = 'Connected';
  } else if (state === 'reconnecting') {
    kind = 'reconnecting';
    const seconds = Math.max(0, Math.ceil(((reconnectAt.value ?? now.value) - now.value) / 1000));
    text = `Reconnecting in ${seconds}s (attempt ${reconnectAttempt.value})`;
  } else {
    kind = 'connecting';
    text = 'Connecting…';
  }
  return (
    <div
      class={`status status-${kind}`}
      role="status"
      aria-live="polite"
      data-testid="status"
      data-state={kind}
    >
      <span class="status-dot" aria-hidden="true" />
      <span class="status-text">{text}</span>
    </div>
  );
}

/** @jsxImportSource preact */
/**
 * Connection statistics: clients on the hub, messages this page received, ping latency, and the
 * measured publish→paint delay (server timestamp to painted frame), plus a manual connect switch.
 */
import { StatusIndicator } from '../components/status-indicator.tsx';
import { formatInteger } from '../lib/format.ts';
import {
  clientCount,
  connect,
  connectionState,
  disconnect,
  lastClose,
  latencyMs,
  me,
  messagesReceived,
  wsUrl,
} from '../lib/hub.ts';
import { paintLatency } from '../lib/paint-latency.ts';

function formatMs(value: number | undefined): string {
  return value === undefined ? '–' : `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
}

export function ConnectionStats() {
  const paint = paintLatency.value;
  const closed = lastClose.value;
  const manualOff = connectionState.value === 'disconnected';
  return (
    <section class="card stats" aria-labelledby="stats-title" data-testid="stats">
      <h3 id="stats-title" class="card-title">
        Connection
      </h3>
      <StatusIndicator />
      <dl class="stats-list">
        <dt>Clients connected</dt>
        <dd data-testid="stat-clients">
          {clientCount.value === undefined ? '–' : formatInteger(clientCount.value)}
        </dd>
        <dt>Messages received</dt>
        <dd data-testid="stat-messages">{formatInteger(messagesReceived.value)}</dd>
        <dt>Latency (ping)</dt>
        <dd data-testid="stat-latency">{formatMs(latencyMs.value)}</dd>
        <dt>Publish → paint</dt>
        <dd
          data-testid="stat-paint"
          data-median={paint?.median.toFixed(2)}
          data-p95={paint?.p95.toFixed(2)}
          data-count={paint?.count}
          title="From the publication's server timestamp to the painted frame"
        >
          {paint ? `${formatMs(paint.median)} median · p95 ${formatMs(paint.p95)}` : '–'}
        </dd>
        <dt>Client id</dt>
        <dd class="mono">{me.value?.clientId ?? '–'}</dd>
        <dt>Endpoint</dt>
        <dd class="mono">{wsUrl}</dd>
        {closed ? (
          <>
            <dt>Last close</dt>
            <dd class="mono">
              {closed.code}
              {closed.reason ? ` ${closed.reason}` : ''}
            </dd>
          </>
        ) : null}
      </dl>
      <button
        type="button"
        class="button"
        onClick={manualOff ? connect : disconnect}
        data-testid="connect-toggle"
      >
        {manualOff ? 'Connect' : 'Disconnect'}
      </button>
    </section>
  );
}

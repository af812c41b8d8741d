/** @jsxImportSource preact */
/**
 * Connection statistics: clients on the hub, messages this page received, ping latency, and the
 * measured publish→paint delay (server timestamp to painted frame), plus a manual connect switch.
 * "Last close" is the last close the hub sent (code, reason, time), which failed retries after it do
 * not overwrite; while reconnecting, "Last failure" says how the attempts since are failing.
 */
import { StatusIndicator } from '../components/status-indicator.tsx';
import { formatClock, formatInteger } from '../lib/format.ts';
import {
  clientCount,
  connect,
  connectionState,
  disconnect,
  lastClose,
  lastFailure,
  latencyMs,
  me,
  messagesReceived,
  wsUrl,
} from '../lib/hub.ts';
import { paintLatency } from '../lib/paint-latency.ts';

/** 1006 has no reason: the socket ended without a close frame. */
function describeFailure(failure: { code?: number; reason: string }): string {
  return [failure.code, failure.reason || (failure.code === 1006 ? 'no close frame' : '')]
    .filter(Boolean)
    .join(' ');
}

function formatMs(value: number | undefined): string {
  return value === undefined ? '–' : `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
}

export function ConnectionStats() {
  const paint = paintLatency.value;
  const closed = lastClose.value;
  const failure = lastFailure.value;
  // Figures from the hub are not shown as current while the connection is down.
  const live = connectionState.value === 'connected';
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
          {clientCount.value === undefined || !live ? '–' : formatInteger(clientCount.value)}
        </dd>
        <dt>Messages received</dt>
        <dd data-testid="stat-messages">{formatInteger(messagesReceived.value)}</dd>
        <dt>Latency (ping)</dt>
        <dd data-testid="stat-latency">{formatMs(live ? latencyMs.value : undefined)}</dd>
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
        <dd class="mono">{(live && me.value?.clientId) || '–'}</dd>
        <dt>Node</dt>
        <dd class="mono" data-testid="stat-node">
          {(live && me.value?.node) || '–'}
        </dd>
        <dt>Endpoint</dt>
        <dd class="mono">{wsUrl}</dd>
        {closed ? (
          <>
            <dt>Last close</dt>
            <dd data-testid="stat-last-close" title="The last close the hub sent">
              <span class="mono stat-line">
                {closed.code}
                {closed.reason ? ` ${closed.reason}` : ''}
              </span>
              <span class="muted stat-line">at {formatClock(closed.at)}</span>
            </dd>
          </>
        ) : null}
        {failure ? (
          <>
            <dt>Last failure</dt>
            <dd data-testid="stat-last-failure">
              <span class="mono stat-line">{describeFailure(failure)}</span>
              {failure.failed > 0 ? (
                <span class="muted stat-line">
                  {failure.failed === 1 ? '1 retry failed' : `${failure.failed} retries failed`}
                </span>
              ) : null}
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

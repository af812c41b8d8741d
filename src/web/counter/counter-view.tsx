/** @jsxImportSource preact */
/**
 * Counter: one shared number per `counter:<name>`. The hub adds the increments, so every tab shows
 * the same value; the snapshot on (re)subscribe brings a late or reconnected tab up to date.
 */
import { signal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import { counterChannel } from '../../protocol/channels.ts';
import { isCounterValue } from '../../protocol/payload-guards.ts';
import { normalizeChannelSuffix } from '../lib/channel-names.ts';
import { formatInteger } from '../lib/format.ts';
import { scheduleRender } from '../lib/frame-scheduler.ts';
import { publish } from '../lib/hub.ts';
import { useChannel } from '../lib/use-channel.ts';

const VIEWER_POLL_MS = 5000;
const counterName = signal('main');
const value = signal<number | undefined>(undefined);
const viewers = signal<number | undefined>(undefined);

/** A burst of clicks from many tabs is painted once per frame. */
let latestValue = 0;
function renderValue(): void {
  value.value = latestValue;
}

function change(op: 'increment' | 'decrement'): void {
  publish(counterChannel(counterName.peek()), { op }).catch((error: unknown) =>
    console.warn('[counter]', error),
  );
}

export function CounterView() {
  const channel = counterChannel(counterName.value);
  const binding = useChannel(channel, {
    onSubscribed(info) {
      latestValue = isCounterValue(info.snapshot) ? info.snapshot.value : 0;
      scheduleRender(renderValue);
      countViewers();
    },
    onPublication(publication) {
      if (!isCounterValue(publication.data)) return;
      latestValue = publication.data.value;
      scheduleRender(renderValue);
    },
  });
  function countViewers(): void {
    binding.current?.subscription
      ?.presence()
      .then((clients) => (viewers.value = clients.length))
      .catch(() => undefined);
  }
  useEffect(() => {
    const timer = setInterval(countViewers, VIEWER_POLL_MS);
    return () => clearInterval(timer);
  }, [channel]);
  const inputRef = useRef<HTMLInputElement>(null);
  return (
    <section class="view counter" aria-labelledby="counter-title">
      <header class="view-header">
        <h2 id="counter-title">Counter</h2>
        <form
          class="inline-form"
          onSubmit={(event) => {
            event.preventDefault();
            const name = normalizeChannelSuffix(inputRef.current?.value ?? '');
            if (name && name !== counterName.peek()) {
              value.value = undefined;
              counterName.value = name;
            }
          }}
        >
          <label for="counter-name">Counter</label>
          <input id="counter-name" ref={inputRef} value={counterName.value} maxLength={32} />
          <button type="submit" class="button">
            Open
          </button>
        </form>
      </header>
      <div class="card counter-card">
        <p class="muted">{channel}</p>
        <output class="counter-value" data-testid="counter-value" aria-live="polite">
          {value.value === undefined ? '…' : formatInteger(value.value)}
        </output>
        <div class="counter-buttons">
          <button
            type="button"
            class="button big"
            aria-label="Decrement"
            onClick={() => change('decrement')}
            data-testid="decrement"
          >
            −
          </button>
          <button
            type="button"
            class="button big primary"
            aria-label="Increment"
            onClick={() => change('increment')}
            data-testid="increment"
          >
            +
          </button>
        </div>
        <p class="muted">
          Every tab on this counter sees the same number{viewers.value ? ` · ${viewers.value} watching` : ''}.
        </p>
      </div>
    </section>
  );
}

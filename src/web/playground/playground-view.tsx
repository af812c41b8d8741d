/** @jsxImportSource preact */
/**
 * Playground, the first WebSocket exercise: join `echo`, send anything, and watch every tab on the
 * channel receive it. Text that parses as JSON is sent as JSON (and shown as code); anything else is sent
 * as a string and shown as text. A message over the hub's frame limit is refused by the SDK before
 * sending (`too_large`) and the log says so: the connection stays up.
 */
import { signal } from '@preact/signals';
import { useRef } from 'preact/hooks';
import { isTrendStreamError } from '../../client/errors.ts';
import type { ClientInfo } from '../../client/types.ts';
import { Channel } from '../../protocol/channels.ts';
import { formatClock } from '../lib/format.ts';
import { scheduleRender } from '../lib/frame-scheduler.ts';
import { currentClientId, publish } from '../lib/hub.ts';
import { useChannel } from '../lib/use-channel.ts';

const CHANNEL = Channel.Echo;
const MAX_LOG = 100;

interface LogEntry {
  key: string;
  time: string;
  kind: 'message' | 'join' | 'leave' | 'info' | 'error';
  from?: ClientInfo;
  text: string;
  /** A message whose data is JSON other than a string: shown as code. */
  json?: boolean;
}

const joined = signal(true);
const log = signal<readonly LogEntry[]>([]);
let logCount = 0;

let unrendered: LogEntry[] = [];

/** Entries reach the screen once per frame, however fast they arrive. */
function append(entry: Omit<LogEntry, 'key'>): void {
  logCount += 1;
  unrendered.unshift({ ...entry, key: `log-${logCount}` });
  scheduleRender(renderLog);
}

function renderLog(): void {
  log.value = [...unrendered, ...log.peek()].slice(0, MAX_LOG);
  unrendered = [];
}

/** JSON when it parses, else the text itself (published as a JSON string). */
function parseInput(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Why a message was not sent, in the user's terms. */
function notSent(error: unknown): string {
  if (isTrendStreamError(error) && error.code === 'too_large') {
    return `Not sent: the message is too large (${error.message}). The connection stays up.`;
  }
  return `Not sent: ${error instanceof Error ? error.message : String(error)}`;
}

export function PlaygroundView() {
  useChannel(joined.value ? CHANNEL : undefined, {
    onSubscribed: (info) =>
      append({
        time: new Date().toISOString(),
        kind: 'info',
        text: info.first ? `Joined ${CHANNEL}` : `Rejoined ${CHANNEL}`,
      }),
    onPublication: (publication) =>
      append({
        time: publication.timestamp,
        kind: 'message',
        from: publication.from,
        // A string is text (what was typed); anything else is shown as JSON.
        text: typeof publication.data === 'string' ? publication.data : JSON.stringify(publication.data),
        json: typeof publication.data !== 'string',
      }),
    onJoin: (client) =>
      append({ time: new Date().toISOString(), kind: 'join', from: client, text: `${client.name} joined` }),
    onLeave: (client) =>
      append({ time: new Date().toISOString(), kind: 'leave', from: client, text: `${client.name} left` }),
    onError: (error) =>
      append({ time: new Date().toISOString(), kind: 'error', text: `Error: ${error.message}` }),
  });
  const inputRef = useRef<HTMLInputElement>(null);
  const me = currentClientId();
  return (
    <section class="view playground" aria-labelledby="playground-title">
      <header class="view-header">
        <h2 id="playground-title">Playground</h2>
        <p class="muted">
          Open this page in another tab: a message sent here appears in every tab on “{CHANNEL}”.
        </p>
      </header>
      <div class="card">
        <div class="toolbar">
          <button
            type="button"
            class={`button ${joined.value ? '' : 'primary'}`}
            onClick={() => {
              if (joined.peek())
                append({ time: new Date().toISOString(), kind: 'info', text: `Left ${CHANNEL}` });
              joined.value = !joined.peek();
            }}
            data-testid="echo-join"
          >
            {joined.value ? 'Leave' : 'Join'} {CHANNEL}
          </button>
          <a class="button" href={window.location.href} target="_blank" rel="noopener">
            Open another tab
          </a>
          <button type="button" class="button" onClick={() => (log.value = [])}>
            Clear log
          </button>
        </div>
        <form
          class="composer"
          onSubmit={(event) => {
            event.preventDefault();
            const input = inputRef.current;
            if (!input || !input.value.trim()) return;
            const data = parseInput(input.value);
            input.value = '';
            publish(CHANNEL, data).catch((error: unknown) =>
              append({ time: new Date().toISOString(), kind: 'error', text: notSent(error) }),
            );
          }}
        >
          <label class="visually-hidden" for="echo-message">
            Message
          </label>
          <input
            id="echo-message"
            ref={inputRef}
            placeholder='Hello, or {"any": "json"}'
            autoComplete="off"
            data-testid="echo-input"
          />
          <button type="submit" class="button primary" disabled={!joined.value}>
            Send
          </button>
        </form>
        <ol class="echo-log" data-testid="echo-log" aria-live="polite">
          {log.value.map((entry) => (
            <li key={entry.key} class={`echo-${entry.kind}`}>
              <time dateTime={entry.time}>{formatClock(entry.time)}</time>
              {entry.kind === 'message' ? (
                <strong>
                  {entry.from ? `${entry.from.name}${entry.from.id === me ? ' (you)' : ''}` : 'server'}
                </strong>
              ) : null}
              {entry.json ? (
                <code>{entry.text}</code>
              ) : (
                <span class="echo-text" data-testid={entry.kind === 'error' ? 'echo-error' : undefined}>
                  {entry.text}
                </span>
              )}
            </li>
          ))}
        </ol>
      </div>
    </section>
  );
}

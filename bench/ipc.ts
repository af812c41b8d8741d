/**
 * Typed request/reply over the Node IPC channel between the orchestrator and its child processes
 * (server under test, subscriber workers, publisher). A protocol is a map from request name to its
 * request and reply bodies; children may also push events (progress) without being asked.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export type Protocol = Record<string, { req: unknown; res: unknown }>;

interface RequestMessage {
  rid: number;
  type: string;
  body: unknown;
}

type ReplyMessage = { rid: number; ok: true; body: unknown } | { rid: number; ok: false; error: string };

interface EventMessage {
  event: string;
  body: unknown;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export type Handlers<P extends Protocol> = {
  [K in keyof P]: (body: P[K]['req']) => Promise<P[K]['res']> | P[K]['res'];
};

/** Child side: answer the parent's requests; exits when the parent goes away. */
export function serveRequests<P extends Protocol>(handlers: Handlers<P>): void {
  const send = process.send?.bind(process);
  if (!send) throw new Error('this module runs as a child process with an IPC channel');
  process.on('message', (message: unknown) => {
    if (!isRecord(message) || typeof message.rid !== 'number' || typeof message.type !== 'string') return;
    const { rid, type, body } = message as unknown as RequestMessage;
    const handler = (handlers as Record<string, (body: unknown) => unknown>)[type];
    // rid 0: a notification (see ChildHandle.notify), answered with nothing.
    const reply = (payload: ReplyMessage): void => {
      if (rid !== 0) send(payload);
    };
    if (!handler) {
      reply({ rid, ok: false, error: `unknown request ${type}` });
      return;
    }
    Promise.resolve()
      .then(() => handler(body))
      .then(
        (result) => reply({ rid, ok: true, body: result }),
        (error: unknown) =>
          reply({ rid, ok: false, error: error instanceof Error ? error.message : String(error) }),
      );
  });
  process.on('disconnect', () => process.exit(0));
}

/** Child side: push an event the parent did not ask for. */
export function emitEvent(event: string, body: unknown): void {
  process.send?.({ event, body } satisfies EventMessage);
}

export interface ChildOptions {
  /** Extra `node` flags (`--expose-gc`, `--cpu-prof`, …). */
  execArgv?: string[];
  args?: string[];
}

/** Parent side: a TypeScript module running in its own Node process (through tsx). */
export class ChildHandle<P extends Protocol> {
  readonly process: ChildProcess;
  #nextRid = 1;
  readonly #pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  readonly #listeners = new Map<string, (body: unknown) => void>();
  #exited: Promise<number | null>;

  constructor(moduleUrl: URL, options: ChildOptions = {}) {
    this.process = fork(fileURLToPath(moduleUrl), options.args ?? [], {
      execArgv: ['--import', 'tsx', ...(options.execArgv ?? [])],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.process.on('message', (message: unknown) => this.#onMessage(message));
    this.#exited = new Promise((resolve) => {
      this.process.once('exit', (code) => {
        for (const { reject } of this.#pending.values()) reject(new Error(`child exited (code ${code})`));
        this.#pending.clear();
        resolve(code);
      });
    });
  }

  get pid(): number {
    const pid = this.process.pid;
    if (pid === undefined) throw new Error('child process did not start');
    return pid;
  }

  request<K extends keyof P & string>(type: K, body: P[K]['req'], timeoutMs = 120_000): Promise<P[K]['res']> {
    const rid = this.#nextRid++;
    return new Promise<P[K]['res']>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(rid);
        reject(new Error(`${type} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(rid, {
        resolve: (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      this.process.send({ rid, type, body } satisfies RequestMessage);
    });
  }

  /** One listener per event name (the latest wins). */
  onEvent(event: string, listener: (body: unknown) => void): void {
    this.#listeners.set(event, listener);
  }

  /** The next `event`'s body; rejects if the child exits or `timeoutMs` passes first. */
  nextEvent(event: string, timeoutMs = 60_000): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
      const onExit = (code: number | null): void => {
        clearTimeout(timer);
        reject(new Error(`child exited (code ${code}) before ${event}`));
      };
      this.process.once('exit', onExit);
      this.onEvent(event, (body) => {
        clearTimeout(timer);
        this.process.off('exit', onExit);
        this.#listeners.delete(event);
        resolve(body);
      });
    });
  }

  /** Send without waiting for a reply (used for fast-path notifications such as acks). */
  notify<K extends keyof P & string>(type: K, body: P[K]['req']): void {
    if (this.process.connected) this.process.send({ rid: 0, type, body } satisfies RequestMessage);
  }

  /** Wait for the process to end; kill it if it has not after `graceMs`. */
  async stop(graceMs = 3000): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    const timer = setTimeout(() => this.process.kill('SIGKILL'), graceMs);
    if (this.process.connected) this.process.disconnect();
    await this.#exited;
    clearTimeout(timer);
  }

  kill(): void {
    if (this.process.exitCode === null && this.process.signalCode === null) this.process.kill('SIGKILL');
  }

  #onMessage(message: unknown): void {
    if (!isRecord(message)) return;
    if (typeof message.event === 'string') {
      this.#listeners.get(message.event)?.(message.body);
      return;
    }
    if (typeof message.rid !== 'number') return;
    const pending = this.#pending.get(message.rid);
    if (!pending) return;
    this.#pending.delete(message.rid);
    const reply = message as unknown as ReplyMessage;
    if (reply.ok) pending.resolve(reply.body);
    else pending.reject(new Error(reply.error));
  }
}

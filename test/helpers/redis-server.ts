/**
 * A real `redis-server` for tests: its own process on a free port, with no persistence by default.
 * `stop()` and `restart()` (same port) let tests simulate Redis outages; `stop({ persist: true })`
 * saves the data first (SHUTDOWN SAVE) so the restarted server comes back with it, like a Redis
 * with persistence, while a plain `stop()` loses everything, like a Redis without.
 * The process is killed by pid on `close()` and, as a safety net, when the test process exits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** The pid of the running redis-server, or undefined while stopped. */
  readonly pid: number | undefined;
  /** Send one inline command (e.g. `FLUSHALL`, `CLIENT LIST`) and return the raw reply text. */
  command(line: string): Promise<string>;
  /** Stop the server; with `persist` it saves its data first and the next `restart()` loads it. */
  stop(options?: { persist?: boolean }): Promise<void>;
  /** Start it again on the same port and wait until it answers PING. */
  restart(): Promise<void>;
  /** Stop it and remove its working directory. */
  close(): Promise<void>;
}

const READY_TIMEOUT_MS = 10_000;
const running = new Set<ChildProcess>();

process.once('exit', function killLeftoverRedis() {
  for (const child of running) child.kill('SIGKILL');
});

export async function startRedisServer(): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'trendstream-redis-'));
  // A free port can be taken by another suite's server before ours binds it: then try another.
  let port = 0;
  let child: ChildProcess | undefined;
  for (let attempt = 1; !child; attempt += 1) {
    port = await freePort();
    try {
      child = await launch(port, dir);
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }

  async function stop(options: { persist?: boolean } = {}): Promise<void> {
    const current = child;
    if (!current) return;
    child = undefined;
    const exited = waitForExit(current);
    if (options.persist) {
      await sendCommand(port, 'SHUTDOWN SAVE').catch(() => undefined);
    } else {
      current.kill('SIGKILL');
    }
    await exited;
  }

  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get pid() {
      return child?.pid;
    },
    command: (line) => sendCommand(port, line),
    stop,
    async restart() {
      if (child) throw new Error('redis-server is still running');
      child = await launch(port, dir);
    },
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function launch(port: number, dir: string): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: 'ignore' },
  );
  running.add(child);
  child.once('exit', () => running.delete(child));
  const failed = new Promise<never>((_, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code} before answering PING`)));
  });
  try {
    await Promise.race([waitForPing(port), failed]);
    // The PONG must be this process's: if another suite's redis-server holds the port (ours could
    // not bind it), using it would let this suite stop or flush that one's data.
    const info = await sendCommand(port, 'INFO server');
    if (!info.includes(`process_id:${child.pid}\r\n`)) {
      throw new Error(`port ${port} is held by another redis-server`);
    }
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return child;
}

function waitForExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function waitForPing(port: number): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const reply = await sendCommand(port, 'PING').catch(() => '');
    if (reply.startsWith('+PONG')) return;
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer PING`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * One inline command over a fresh TCP connection; resolves with the raw reply once it is complete
 * (simple strings, errors, integers and bulk strings) or when the server closes the connection.
 */
function sendCommand(port: number, line: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let reply = Buffer.alloc(0);
    socket.setTimeout(2000, () => socket.destroy(new Error(`no reply to ${line}`)));
    socket.once('connect', () => socket.write(`${line}\r\n`));
    socket.on('data', (chunk: Buffer) => {
      reply = Buffer.concat([reply, chunk]);
      if (replyComplete(reply)) socket.end();
    });
    socket.once('error', reject);
    socket.once('close', () => resolve(reply.toString('utf8')));
  });
}

function replyComplete(reply: Buffer): boolean {
  const headerEnd = reply.indexOf('\r\n');
  if (headerEnd < 0) return false;
  if (reply[0] !== 0x24 /* $ */) return true;
  const length = Number(reply.subarray(1, headerEnd).toString('latin1'));
  return length < 0 || reply.length >= headerEnd + 2 + length + 2;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

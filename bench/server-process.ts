/**
 * The server under test as seen from the orchestrator: a child process started fresh for each
 * connection level (so memory figures start clean), with its port, pid and self-reported stats.
 */
import { join } from 'node:path';
import type { ServerChildProtocol, ServerReady, ServerStats } from './child-protocols.ts';
import { ChildHandle } from './ipc.ts';
import type { ServerKind } from './servers/kinds.ts';
import type { TrendStreamOverrides } from './servers/trendstream-server.ts';

export interface ServerProcessOptions {
  /** Directory for a V8 CPU profile of the server (`--cpu-prof`); none when undefined. */
  cpuProfileDir?: string;
  /** Goes into the profile's file name (e.g. the level, `c5000`). */
  profileLabel?: string;
  /** TrendStream only: settings over the bench defaults (proxies, namespaces). */
  trendstream?: TrendStreamOverrides;
}

export class ServerProcess {
  private constructor(
    readonly kind: ServerKind,
    readonly port: number,
    private readonly child: ChildHandle<ServerChildProtocol>,
  ) {}

  static async start(kind: ServerKind, options: ServerProcessOptions = {}): Promise<ServerProcess> {
    const execArgv = ['--expose-gc'];
    if (options.cpuProfileDir) {
      // Node writes one profile per thread (tsx's loader runs in its own): one directory per server run.
      const dir = join(options.cpuProfileDir, `${kind}-${options.profileLabel ?? 'run'}-${Date.now()}`);
      execArgv.push('--cpu-prof', `--cpu-prof-dir=${dir}`);
    }
    const child = new ChildHandle<ServerChildProtocol>(
      new URL('./servers/server-child.ts', import.meta.url),
      {
        execArgv,
        args: options.trendstream ? [kind, JSON.stringify(options.trendstream)] : [kind],
      },
    );
    try {
      const ready = (await child.nextEvent('ready', 30_000)) as ServerReady;
      return new ServerProcess(kind, ready.port, child);
    } catch (error) {
      child.kill();
      throw error;
    }
  }

  get pid(): number {
    return this.child.pid;
  }

  stats(gc = false): Promise<ServerStats> {
    return this.child.request('stats', { gc }, 60_000);
  }

  /** Exit the server process (its clients see their connections drop). */
  async stop(): Promise<void> {
    await this.child.request('stop', {}, 10_000).catch(() => undefined);
    await this.child.stop(10_000);
  }
}

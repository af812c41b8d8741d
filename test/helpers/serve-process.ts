/**
 * `trendstream serve` in a process of its own, as an operator starts it: resolves once the process
 * prints its "TrendStream on <url>" line, rejects with everything it printed when it exits first.
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface ServeProcess {
  child: ChildProcess;
  port: number;
  /** The announced base URL, with `localhost` spelled 127.0.0.1 so fetch needs no IPv6. */
  url: string;
  /** Everything the process wrote to stdout so far. */
  stdout(): string;
}

export interface ServeProcessOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  timeoutMs?: number;
}

/** Runs `command ...args` (which must start `serve`) and waits for its URL line. */
export function startServeProcess(
  command: string,
  args: readonly string[],
  options: ServeProcessOptions = {},
): Promise<ServeProcess> {
  const child = spawn(command, args, {
    env: options.env ?? process.env,
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  return new Promise((resolve, reject) => {
    const fail = (why: string): void => {
      child.kill('SIGKILL');
      reject(new Error(`${why}: ${stdout}${stderr}`));
    };
    const timer = setTimeout(() => fail('serve did not start'), options.timeoutMs ?? 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /TrendStream on (http:\/\/[^:\s]+):(\d+)/.exec(stdout);
      if (!match) return;
      clearTimeout(timer);
      const url = `${match[1]}:${match[2]}`.replace('localhost', '127.0.0.1');
      resolve({ child, port: Number(match[2]), url, stdout: () => stdout });
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}: ${stdout}${stderr}`));
    });
  });
}

/**
 * SIGTERM, as an orchestrator sends it, then SIGKILL if the process is still there after
 * `killAfterMs`; resolves with its exit code (null when a signal ended it).
 */
export function terminate(child: ChildProcess, killAfterMs = 10_000): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    child.kill('SIGTERM');
  });
}

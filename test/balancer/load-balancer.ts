/**
 * Debian's nginx and HAProxy, run with the example configs exactly as docs/scale-out.md tells an
 * operator to (no root, no edits): nginx with `-p <temp dir> -c <config> -g 'daemon off;'`, HAProxy
 * with `-f <config>`. Resolves once the balancer accepts connections on its port.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { terminate } from '../helpers/serve-process.ts';
import { sleep } from '../helpers/wait.ts';

export const NGINX_CONFIG = fileURLToPath(new URL('../../examples/nginx/nginx.conf', import.meta.url));
export const HAPROXY_CONFIG = fileURLToPath(new URL('../../examples/haproxy/haproxy.cfg', import.meta.url));

export interface LoadBalancer {
  readonly name: 'nginx' | 'haproxy';
  readonly port: number;
  /** The request log: nginx's access.log, HAProxy's httplog lines (it logs to stderr). */
  log(): string;
  stop(): Promise<void>;
}

/** The program, on PATH or in /usr/sbin (where Debian puts both, outside a normal user's PATH). */
export function findProgram(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/usr/local/sbin'];
  for (const dir of dirs.filter(Boolean)) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // not here
    }
  }
  return undefined;
}

export async function startNginx(): Promise<LoadBalancer> {
  const prefix = mkdtempSync(join(tmpdir(), 'trendstream-nginx-'));
  const child = launch('nginx', ['-p', prefix, '-c', NGINX_CONFIG, '-g', 'daemon off;']);
  await listening(child, 8080);
  return {
    name: 'nginx',
    port: 8080,
    log: () => readFileSync(join(prefix, 'access.log'), 'utf8'),
    async stop() {
      await terminate(child.process, 5000);
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}

export async function startHaproxy(): Promise<LoadBalancer> {
  const child = launch('haproxy', ['-f', HAPROXY_CONFIG]);
  await listening(child, 8081);
  return {
    name: 'haproxy',
    port: 8081,
    log: () => child.output(),
    stop: async () => void (await terminate(child.process, 5000)),
  };
}

interface Launched {
  process: ChildProcess;
  output(): string;
}

function launch(name: string, args: string[]): Launched {
  const program = findProgram(name);
  if (!program) throw new Error(`${name} is not installed: apt-get install ${name}`);
  const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { process: child, output: () => output };
}

async function listening(child: Launched, port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null) {
      throw new Error(`balancer exited with ${child.process.exitCode}: ${child.output()}`);
    }
    if (await accepts(port)) return;
    await sleep(50);
  }
  child.process.kill('SIGKILL');
  throw new Error(`balancer not listening on ${port} after 10 s: ${child.output()}`);
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

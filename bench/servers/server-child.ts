/**
 * Entry of a server-under-test process: `server-child.ts <kind> [<TrendStream settings as JSON>]`.
 * Starts that server on 127.0.0.1,
 * reports its port, and answers the orchestrator's requests for its own CPU time and memory
 * (measured inside the process, so the figures cover exactly the server).
 */
import type { ServerChildProtocol, ServerStats } from '../child-protocols.ts';
import { emitEvent, serveRequests } from '../ipc.ts';
import { isServerKind, type ServerKind } from './kinds.ts';
import { startSocketIoServer } from './socketio-server.ts';
import type { StartedServer } from './started-server.ts';
import { startTrendStreamServer, type TrendStreamOverrides } from './trendstream-server.ts';
import { startWsPlainServer } from './ws-plain-server.ts';
import { startWsPreframedServer } from './ws-preframed-server.ts';

const HOST = '127.0.0.1';

function start(kind: ServerKind, overrides: TrendStreamOverrides): Promise<StartedServer> {
  switch (kind) {
    case 'ws-plain':
      return startWsPlainServer(HOST);
    case 'ws-preframed':
      return startWsPreframedServer(HOST);
    case 'socketio':
      return startSocketIoServer(HOST);
    case 'trendstream':
      return startTrendStreamServer(HOST, overrides);
  }
}

function stats(collect: boolean): ServerStats {
  if (collect && typeof globalThis.gc === 'function') {
    globalThis.gc();
    globalThis.gc();
  }
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  return {
    userMicros: cpu.user,
    systemMicros: cpu.system,
    rss: memory.rss,
    heapUsed: memory.heapUsed,
    external: memory.external,
  };
}

const kind = process.argv[2] ?? '';
if (!isServerKind(kind)) throw new Error(`unknown server kind "${kind}"`);
const overrides = JSON.parse(process.argv[3] ?? '{}') as TrendStreamOverrides;
const started = await start(kind, overrides);
serveRequests<ServerChildProtocol>({
  stats: ({ gc }) => stats(gc),
  stop: () => {
    setImmediate(() => process.exit(0));
    return {};
  },
});
emitEvent('ready', { port: started.port });

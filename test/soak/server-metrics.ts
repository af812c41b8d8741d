/**
 * One sample of the hub's health, scraped from its Prometheus endpoint: resident memory, heap,
 * event-loop delay (prom-client's default metrics, reset at each scrape, so each sample covers the
 * interval since the previous one), connections and frames delivered.
 */

export interface ServerSample {
  atSeconds: number;
  rssMb: number;
  heapMb: number;
  loopP99Ms: number;
  loopMaxMs: number;
  connections: number;
  messagesOut: number;
}

export async function sampleServer(httpUrl: string, atSeconds: number): Promise<ServerSample> {
  const text = await (await fetch(`${httpUrl}/metrics`)).text();
  const value = (name: string): number => {
    const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
    return line ? Number(line.split(' ').at(-1)) : Number.NaN;
  };
  const mb = (bytes: number): number => Math.round((bytes / 1024 / 1024) * 10) / 10;
  const ms = (seconds: number): number => Math.round(seconds * 10_000) / 10;
  return {
    atSeconds,
    rssMb: mb(value('trendstream_process_resident_memory_bytes')),
    heapMb: mb(value('trendstream_nodejs_heap_size_used_bytes')),
    loopP99Ms: ms(value('trendstream_nodejs_eventloop_lag_p99_seconds')),
    loopMaxMs: ms(value('trendstream_nodejs_eventloop_lag_max_seconds')),
    connections: value('trendstream_connections'),
    messagesOut: value('trendstream_messages_out_total'),
  };
}

export function formatSample(s: ServerSample): string {
  return (
    `t=${String(s.atSeconds).padStart(4)}s rss=${s.rssMb.toFixed(1)}MB heap=${s.heapMb.toFixed(1)}MB ` +
    `loop p99=${s.loopP99Ms}ms max=${s.loopMaxMs}ms connections=${s.connections} delivered=${s.messagesOut}`
  );
}

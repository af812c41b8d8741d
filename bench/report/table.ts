/**
 * The stdout report: fan-out figures per level, phase and server; TrendStream's ratios to each
 * baseline; idle memory per connection; the HTTP publish and backend scenarios when they ran; and
 * the target checklist. Also used verbatim in docs/performance.md (it is plain, fixed-width text).
 */
import { SERVER_LABELS, type ServerKind } from '../servers/kinds.ts';
import { ratio } from '../stats.ts';
import type { BenchReport, PhaseRecord, TargetCheck } from './records.ts';

type Align = 'left' | 'right';

/** Fixed-width columns: numbers right-aligned, text left-aligned. */
export function textTable(header: string[], rows: string[][], align: Align[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, i) => (align[i] === 'right' ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function fmt(value: number, digits = 1): string {
  if (value >= 1000) return String(Math.round(value));
  return value.toFixed(digits);
}

function fanOutTable(report: BenchReport): string {
  const header = [
    'C',
    'phase',
    'server',
    'deliv/s',
    'p50 ms',
    'p95 ms',
    'p99 ms',
    'max ms',
    'CPU µs/dlv',
    'sys µs',
    'srv CPU%',
    'gen CPU%',
    'RSS MB',
    'B/dlv',
    'delivered',
    'saturated',
  ];
  const rows = report.phases.map((p) => [
    String(p.clients),
    p.phase,
    SERVER_LABELS[p.server],
    String(p.deliveriesPerSec),
    fmt(p.latencyMs.p50, 2),
    fmt(p.latencyMs.p95, 2),
    fmt(p.latencyMs.p99, 2),
    fmt(p.latencyMs.max, 1),
    p.cpuPerDeliveryUs.toFixed(2),
    p.sysPerDeliveryUs.toFixed(2),
    String(p.serverCpuPercent),
    String(Math.max(p.publisherCpuPercent, ...p.workerCpuPercent)),
    String(p.serverRssMb),
    String(p.bytesPerDelivery),
    deliveredCell(p),
    p.saturated,
  ]);
  const align: Align[] = ['right', 'left', 'left', ...Array<Align>(12).fill('right'), 'left'];
  return textTable(header, rows, align);
}

function deliveredCell(p: PhaseRecord): string {
  const notes: string[] = [];
  if (p.closedClients > 0) notes.push(`${p.closedClients} closed`);
  if (p.stalledClients > 0) notes.push(`${p.stalledDropped}/${p.stalledClients} stalled dropped`);
  return `${p.delivered}/${p.expected}${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`;
}

function ratioCell(ours: PhaseRecord, theirs: PhaseRecord | undefined): string {
  if (!theirs) return '–';
  const cpu = ratio(ours.cpuPerDeliveryUs, theirs.cpuPerDeliveryUs);
  const p99 = ratio(ours.latencyMs.p99, theirs.latencyMs.p99);
  const rate = ratio(ours.deliveriesPerSec, theirs.deliveriesPerSec);
  return `${cpu ?? '–'} · ${p99 ?? '–'} · ${rate ?? '–'}`;
}

function ratioTable(report: BenchReport): string | undefined {
  const baselines = report.servers.filter(
    (s): s is Exclude<ServerKind, 'trendstream'> => s !== 'trendstream',
  );
  const ours = report.phases.filter((p) => p.server === 'trendstream');
  if (baselines.length === 0 || ours.length === 0) return undefined;
  const rows = ours
    .filter((p) => baselines.some((b) => findPhase(report, b, p)))
    .map((p) => [String(p.clients), p.phase, ...baselines.map((b) => ratioCell(p, findPhase(report, b, p)))]);
  if (rows.length === 0) return undefined;
  const header = ['C', 'phase', ...baselines.map((b) => `÷ ${SERVER_LABELS[b]}`)];
  return (
    'TrendStream ÷ baseline: CPU per delivery · p99 · deliveries/s (lower, lower, higher is better)\n' +
    textTable(header, rows, ['right', 'left', ...baselines.map((): Align => 'right')])
  );
}

function findPhase(report: BenchReport, server: ServerKind, like: PhaseRecord): PhaseRecord | undefined {
  return report.phases.find(
    (p) => p.server === server && p.clients === like.clients && p.phase === like.phase,
  );
}

function memoryTable(report: BenchReport): string | undefined {
  if (report.memory.length === 0) return undefined;
  const rows = report.memory.map((m) => [
    String(m.clients),
    SERVER_LABELS[m.server],
    `${m.connected}${m.failed > 0 ? ` (${m.failed} failed)` : ''}`,
    String(m.connectMs),
    m.rssPerConnectionKb.toFixed(1),
    m.heapPerConnectionKb.toFixed(1),
    `${m.baseRssMb} → ${m.rssMb}`,
  ]);
  return (
    'Idle connections (server memory after GC)\n' +
    textTable(['C', 'server', 'connected', 'connect ms', 'RSS KB/conn', 'heap KB/conn', 'RSS MB'], rows, [
      'right',
      'left',
      'right',
      'right',
      'right',
      'right',
      'right',
    ])
  );
}

function httpPublishTable(report: BenchReport): string | undefined {
  const records = report.httpPublish;
  if (!records || records.length === 0) return undefined;
  const rows = records.map((r) => [
    r.mode === 'single' ? 'POST /api/publish' : `POST /api/batch (${r.perRequest})`,
    String(r.window),
    String(r.publicationsPerSec),
    r.cpuPerPublicationUs.toFixed(1),
    r.sysPerPublicationUs.toFixed(1),
    String(r.serverCpuPercent),
    `${r.delivered}/${r.expected}`,
    String(r.failures),
  ]);
  const subscribers = records[0].subscribers;
  const lines = [
    `HTTP publish: server CPU per publication, ${subscribers} subscribers, one keep-alive connection`,
    textTable(
      ['request', 'in flight', 'pub/s', 'CPU µs/pub', 'sys µs', 'srv CPU%', 'delivered', 'refused'],
      rows,
      ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
    ),
  ];
  // One request at a time against one batch at a time; pipelined against pipelined.
  for (const one of records.filter((r) => r.mode === 'single')) {
    const pipelined = one.window > 1;
    const batch = records.find((r) => r.mode === 'batch' && r.window > 1 === pipelined);
    if (!batch) continue;
    lines.push(
      `single ÷ batch, ${pipelined ? 'pipelined' : 'one request at a time'}: ` +
        `${ratio(one.cpuPerPublicationUs, batch.cpuPerPublicationUs) ?? '–'}× the server CPU per publication`,
    );
  }
  return lines.join('\n');
}

function backendTables(report: BenchReport): string | undefined {
  const sections: string[] = [];
  const connects = report.connectRate ?? [];
  if (connects.length > 0) {
    const rows = connects.map((c) => [
      c.mode,
      `${c.connections}${c.failed > 0 ? ` (${c.failed} failed)` : ''}`,
      String(c.elapsedMs),
      String(c.connectionsPerSec),
      String(c.cpuPerConnectionUs),
      String(c.backendCalls),
    ]);
    const off = connects.find((c) => c.mode === 'no proxy');
    const on = connects.find((c) => c.mode === 'connect proxy');
    sections.push(
      'Connect rate: WebSocket connect + subscribe, 400 at a time\n' +
        textTable(['mode', 'connected', 'ms', 'conn/s', 'CPU µs/conn', 'backend calls'], rows, [
          'left',
          'right',
          'right',
          'right',
          'right',
          'right',
        ]) +
        `\nwith ÷ without the connect proxy: ${ratio(on?.connectionsPerSec, off?.connectionsPerSec) ?? '–'}× the connections/s, ` +
        `${ratio(on?.cpuPerConnectionUs, off?.cpuPerConnectionUs) ?? '–'}× the server CPU per connection`,
    );
  }
  const publishes = report.proxiedPublish ?? [];
  if (publishes.length > 0) {
    const rows = publishes.map((p) => [
      p.mode,
      p.channel,
      String(p.rate),
      `${p.acked}/${p.sent}`,
      p.ackLatencyMs.p50.toFixed(2),
      p.ackLatencyMs.p99.toFixed(2),
      p.deliveryLatencyMs.p50.toFixed(2),
      p.deliveryLatencyMs.p99.toFixed(2),
      p.cpuPerPublicationUs.toFixed(1),
      String(p.backendCalls),
    ]);
    const direct = publishes.find((p) => p.mode === 'direct');
    const proxied = publishes.find((p) => p.mode === 'publish proxy');
    sections.push(
      `Client publish over WebSocket, ${publishes[0].subscribers} subscribers: direct vs through the publish proxy\n` +
        textTable(
          [
            'mode',
            'channel',
            'pub/s',
            'acked',
            'ack p50',
            'ack p99',
            'dlv p50',
            'dlv p99',
            'CPU µs/pub',
            'backend calls',
          ],
          rows,
          ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right'],
        ) +
        `\nproxied ÷ direct: p99 ${ratio(proxied?.ackLatencyMs.p99, direct?.ackLatencyMs.p99) ?? '–'}× (ack), ` +
        `${ratio(proxied?.deliveryLatencyMs.p99, direct?.deliveryLatencyMs.p99) ?? '–'}× (delivery); ` +
        `${ratio(proxied?.cpuPerPublicationUs, direct?.cpuPerPublicationUs) ?? '–'}× the server CPU per publication (ms for latencies)`,
    );
  }
  return sections.length > 0 ? sections.join('\n\n') : undefined;
}

function targetLine(t: TargetCheck): string {
  const mark = t.met === undefined ? '[ -- ]' : t.met ? '[ ok ]' : '[MISS]';
  return `${mark} ${t.target}: ${t.measured}`;
}

function targetSections(report: BenchReport): string[] {
  const issues = [...new Set(report.targets.map((t) => t.issue ?? 6))].sort((a, b) => a - b);
  return issues.map(
    (issue) =>
      `Targets (issue ${issue})\n` +
      report.targets
        .filter((t) => (t.issue ?? 6) === issue)
        .map(targetLine)
        .join('\n'),
  );
}

export function renderTables(report: BenchReport): string {
  const fanOut = (report.scenarios ?? ['fanout']).includes('fanout');
  const sections = [
    ...(fanOut
      ? [
          `Fan-out: one publisher, C subscribers of one channel, ${report.messageBytes}-byte messages`,
          fanOutTable(report),
          ratioTable(report),
          memoryTable(report),
        ]
      : []),
    httpPublishTable(report),
    backendTables(report),
    ...targetSections(report),
  ];
  return sections.filter((s): s is string => s !== undefined).join('\n\n');
}

/**
 * The HTML report: one self-contained page (no scripts, no network) with the targets, the tables
 * and, per level and phase, the latency distribution of every server as an SVG percentile plot
 * (x: 0, 90, 99, 99.9 … percent on a "nines" scale, y: latency in ms on a log scale).
 */
import { SERVER_KINDS, SERVER_LABELS, type ServerKind } from '../servers/kinds.ts';
import type { BenchReport, PhaseRecord } from './records.ts';
import { renderTables } from './table.ts';

const COLORS: Record<ServerKind, string> = {
  'ws-plain': '#8c8c8c',
  'ws-preframed': '#1f77b4',
  socketio: '#d62728',
  trendstream: '#2ca02c',
};

const WIDTH = 560;
const HEIGHT = 300;
const PAD = { left: 56, right: 28, top: 16, bottom: 40 };
const NINES_LABELS = ['0%', '90%', '99%', '99.9%', '99.99%'];
const MAX_NINES = 4;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] ?? c);
}

/** 0 → 0, 90 → 1, 99 → 2, 99.9 → 3 … capped at MAX_NINES. */
function nines(percentile: number): number {
  const rest = 1 - percentile / 100;
  return rest <= 10 ** -MAX_NINES ? MAX_NINES : -Math.log10(rest);
}

function chart(title: string, records: PhaseRecord[]): string {
  const values = records.flatMap((r) => r.curve.map(([ms]) => Math.max(ms, 0.01)));
  if (values.length === 0) return '';
  const lo = Math.log10(Math.max(0.01, Math.min(...values)));
  const hi = Math.log10(Math.max(...values)) + 0.05;
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (pct: number): number => PAD.left + (nines(pct) / MAX_NINES) * plotW;
  const y = (ms: number): number =>
    PAD.top + plotH - ((Math.log10(Math.max(ms, 0.01)) - lo) / Math.max(0.1, hi - lo)) * plotH;
  const grid: string[] = [];
  for (let n = 0; n <= MAX_NINES; n += 1) {
    const gx = PAD.left + (n / MAX_NINES) * plotW;
    grid.push(
      `<line x1="${gx}" y1="${PAD.top}" x2="${gx}" y2="${PAD.top + plotH}" class="grid"/>`,
      `<text x="${gx}" y="${HEIGHT - 22}" text-anchor="middle">${NINES_LABELS[n]}</text>`,
    );
  }
  for (let e = Math.floor(lo); e <= Math.ceil(hi); e += 1) {
    const ms = 10 ** e;
    const gy = y(ms);
    if (gy < PAD.top - 1 || gy > PAD.top + plotH + 1) continue;
    grid.push(
      `<line x1="${PAD.left}" y1="${gy}" x2="${PAD.left + plotW}" y2="${gy}" class="grid"/>`,
      `<text x="${PAD.left - 6}" y="${gy + 4}" text-anchor="end">${ms >= 1 ? ms : ms.toFixed(2)} ms</text>`,
    );
  }
  const lines = records.map((r) => {
    const points = r.curve
      .filter(([, pct]) => pct < 100)
      .map(([ms, pct]) => `${x(pct).toFixed(1)},${y(ms).toFixed(1)}`);
    const last = r.curve.at(-1);
    if (last) points.push(`${x(100).toFixed(1)},${y(last[0]).toFixed(1)}`);
    return `<polyline points="${points.join(' ')}" fill="none" stroke="${COLORS[r.server]}" stroke-width="2"/>`;
  });
  const legend = records
    .map(
      (r) =>
        `<span><i style="background:${COLORS[r.server]}"></i>${escapeHtml(SERVER_LABELS[r.server])} ` +
        `p99 ${r.latencyMs.p99} ms</span>`,
    )
    .join(' ');
  return `<figure><figcaption>${escapeHtml(title)}</figcaption>
<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img">
${grid.join('\n')}
${lines.join('\n')}
<text x="${PAD.left + plotW / 2}" y="${HEIGHT - 4}" text-anchor="middle">percentile</text>
</svg><div class="legend">${legend}</div></figure>`;
}

function charts(report: BenchReport): string {
  const groups = new Map<string, PhaseRecord[]>();
  for (const record of report.phases) {
    const key = `C = ${record.clients}, ${record.phase}`;
    groups.set(key, [...(groups.get(key) ?? []), record]);
  }
  const order = (r: PhaseRecord): number => SERVER_KINDS.indexOf(r.server);
  return [...groups]
    .map(([title, records]) =>
      chart(
        title,
        records.sort((a, b) => order(a) - order(b)),
      ),
    )
    .join('\n');
}

export function renderHtml(report: BenchReport): string {
  const m = report.machine;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>TrendStream bench ${escapeHtml(report.startedAt)}</title>
<style>
body{font:14px system-ui,sans-serif;margin:24px;color:#222}
pre{font:12px ui-monospace,monospace;background:#f6f6f6;padding:12px;overflow:auto}
figure{display:inline-block;margin:0 16px 24px 0;vertical-align:top}
figcaption{font-weight:600;margin-bottom:4px}
svg text{font:11px system-ui,sans-serif;fill:#555}
.grid{stroke:#e3e3e3}
.legend span{margin-right:12px;font-size:12px}
.legend i{display:inline-block;width:12px;height:3px;margin-right:4px;vertical-align:middle}
</style></head><body>
<h1>TrendStream fan-out benchmark (${escapeHtml(report.plan)})</h1>
<p>${escapeHtml(report.startedAt)} · ${report.durationSec} s · ${m.cores} × ${escapeHtml(m.cpuModel)},
${m.memoryGb} GB · Node ${escapeHtml(m.node)} · ${escapeHtml(m.kernel)} · load average at start
${m.loadAverage.join(' ')} · ${report.workers} subscriber workers</p>
<h2>Latency distributions (publish → receive)</h2>
${charts(report)}
<h2>Tables</h2>
<pre>${escapeHtml(renderTables(report))}</pre>
<h2>Notes</h2>
<ul>${report.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>
</body></html>
`;
}

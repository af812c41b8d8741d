/**
 * Re-renders a saved JSON report: prints its tables and rewrites its HTML page next to it.
 * `npx tsx bench/render-report.ts [bench/results/latest.json]` — for docs, or after a report change.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { renderHtml } from './report/html.ts';
import type { BenchReport } from './report/records.ts';
import { renderTables } from './report/table.ts';

const path = process.argv[2] ?? new URL('./results/latest.json', import.meta.url).pathname;
const report = JSON.parse(readFileSync(path, 'utf8')) as BenchReport;
console.log(renderTables(report));
writeFileSync(path.replace(/\.json$/, '.html'), renderHtml(report));

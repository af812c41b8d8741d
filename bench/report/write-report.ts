/** Writes a run's JSON report and HTML page, timestamped, plus `latest.json` / `latest.html`. */
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderHtml } from './html.ts';
import type { BenchReport } from './records.ts';

export interface WrittenReport {
  jsonPath: string;
  htmlPath: string;
}

export function writeReport(report: BenchReport, outDir: string): WrittenReport {
  const stamp = report.startedAt.replace(/[:.]/g, '-');
  const jsonPath = join(outDir, `bench-${report.plan}-${stamp}.json`);
  const htmlPath = join(outDir, `bench-${report.plan}-${stamp}.html`);
  writeFileSync(jsonPath, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(htmlPath, renderHtml(report));
  copyFileSync(jsonPath, join(outDir, 'latest.json'));
  copyFileSync(htmlPath, join(outDir, 'latest.html'));
  return { jsonPath, htmlPath };
}

/**
 * `trendstream watch --once [--json]`: one snapshot of the chosen categories printed to stdout
 * (JSON for scripts, a plain table otherwise), then the connection is closed.
 */
import type { TrendCategory } from '../protocol/payloads.ts';
import { glyphsFor, shouldUseAscii } from './glyphs.ts';
import { createNodeClient } from './node-client.ts';
import { buildSnapshot, snapshotJson, snapshotTable } from './snapshot-output.ts';
import { takeTrendsSnapshot } from './take-snapshot.ts';

export interface RunOnceOptions {
  url: string;
  categories: TrendCategory[];
  json: boolean;
  /** For the table: true with `--ascii`, false with `--no-ascii`, undefined to follow the locale. */
  ascii?: boolean;
  timeoutMs: number;
  name?: string;
  token?: string;
}

export async function runOnce(
  options: RunOnceOptions,
  out: NodeJS.WritableStream = process.stdout,
): Promise<void> {
  const client = createNodeClient(options.url, { name: options.name, token: options.token });
  try {
    const payload = await takeTrendsSnapshot(client, { url: options.url, timeoutMs: options.timeoutMs });
    const snapshot = buildSnapshot(options.url, payload, options.categories);
    if (options.json) {
      out.write(snapshotJson(snapshot));
    } else {
      const ascii = shouldUseAscii({
        asciiFlag: options.ascii,
        env: process.env,
        platform: process.platform,
      });
      out.write(snapshotTable(snapshot, glyphsFor(ascii)));
    }
  } finally {
    client.disconnect();
  }
}

/** One series read from a running hub's Prometheus `/metrics`. */

/**
 * The value of `series` (name plus labels exactly as the hub prints them, e.g.
 * `trendstream_webhook_failed_total{reason="status"}`); 0 when the hub has not printed it, as for a
 * labelled counter never incremented.
 */
export async function scrapeMetric(httpUrl: string, series: string): Promise<number> {
  const text = await (await fetch(`${httpUrl}/metrics`)).text();
  const line = text.split('\n').find((each) => each.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

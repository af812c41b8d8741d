/**
 * Where the hub's WebSocket lives: by default the page's own host at `/ws` (wss on https pages),
 * overridable with `?ws=` (a full ws/wss/http/https URL, `host:port`, or a path such as `/ws`).
 */

export interface PageLocation {
  protocol: string;
  host: string;
  search: string;
}

/** The WebSocket URL the app connects to, from the page location. */
export function resolveWsUrl(location: PageLocation): string {
  const secure = location.protocol === 'https:';
  const scheme = secure ? 'wss:' : 'ws:';
  const override = new URLSearchParams(location.search).get('ws')?.trim();
  if (!override) return `${scheme}//${location.host}/ws`;
  if (/^wss?:\/\//i.test(override)) return override;
  if (/^https?:\/\//i.test(override)) return override.replace(/^http/i, 'ws');
  if (override.startsWith('/')) return `${scheme}//${location.host}${override}`;
  // A bare `host:port` or `host:port/path`.
  return override.includes('/') ? `${scheme}//${override}` : `${scheme}//${override}/ws`;
}

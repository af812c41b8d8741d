/**
 * The WebSocket URL of one connection attempt: the configured URL plus its query (`name`, `token`,
 * `recover`; empty ones are left out). Accepts `http(s)://` (mapped to `ws(s)://`) and, in a browser,
 * a path such as `/ws` resolved against the page, so the web app can connect to the server that served it.
 */

export function buildConnectionUrl(base: string, query: Record<string, string | undefined>): string {
  const url = new URL(base, pageLocation());
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  for (const [key, value] of Object.entries(query)) if (value) url.searchParams.set(key, value);
  return url.toString();
}

function pageLocation(): string | undefined {
  const location = (globalThis as { location?: { href?: unknown } }).location;
  return typeof location?.href === 'string' ? location.href : undefined;
}

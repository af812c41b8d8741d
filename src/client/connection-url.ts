/**
 * The WebSocket URL of one connection attempt: the configured URL plus `?name=` and `?token=`.
 * Accepts `http(s)://` (mapped to `ws(s)://`) and, in a browser, a path such as `/ws` resolved
 * against the page, so the web app can connect to the server that served it.
 */

export function buildConnectionUrl(
  base: string,
  name: string | undefined,
  token: string | undefined,
): string {
  const url = new URL(base, pageLocation());
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  if (name) url.searchParams.set('name', name);
  if (token) url.searchParams.set('token', token);
  return url.toString();
}

function pageLocation(): string | undefined {
  const location = (globalThis as { location?: { href?: unknown } }).location;
  return typeof location?.href === 'string' ? location.href : undefined;
}

/** The WebSocket URL the web app derives from the page location, and its `?ws=` override. */
import { describe, expect, it } from 'vitest';
import { resolveWsUrl } from '../../src/web/lib/ws-url.ts';

function page(href: string) {
  const url = new URL(href);
  return { protocol: url.protocol, host: url.host, search: url.search };
}

describe('resolveWsUrl', () => {
  it('uses the page host at /ws, ws on http and wss on https', () => {
    expect(resolveWsUrl(page('http://localhost:8765/'))).toBe('ws://localhost:8765/ws');
    expect(resolveWsUrl(page('https://trends.example.com/app/#/chat'))).toBe('wss://trends.example.com/ws');
  });

  it('takes a full ws/wss URL from ?ws= as is', () => {
    expect(resolveWsUrl(page('https://a.example/?ws=wss://b.example:9000/hub'))).toBe(
      'wss://b.example:9000/hub',
    );
    expect(resolveWsUrl(page('http://a.example/?ws=' + encodeURIComponent('ws://127.0.0.1:1234/ws')))).toBe(
      'ws://127.0.0.1:1234/ws',
    );
  });

  it('maps http(s) URLs, paths and bare host:port in ?ws= to a WebSocket URL', () => {
    expect(resolveWsUrl(page('http://a.example/?ws=https://b.example/ws'))).toBe('wss://b.example/ws');
    expect(resolveWsUrl(page('https://a.example/?ws=/socket'))).toBe('wss://a.example/socket');
    expect(resolveWsUrl(page('http://a.example/?ws=b.example:8765'))).toBe('ws://b.example:8765/ws');
    expect(resolveWsUrl(page('http://a.example/?ws=b.example:8765/other'))).toBe('ws://b.example:8765/other');
  });

  it('ignores an empty override', () => {
    expect(resolveWsUrl(page('http://a.example:81/?ws='))).toBe('ws://a.example:81/ws');
  });
});

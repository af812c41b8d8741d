/**
 * Who is really on the other end of a request behind a load balancer. Connections from the trusted
 * proxies (`--trust-proxy`, a list of addresses and CIDRs) take the client's address from
 * `X-Forwarded-For`: the rightmost hop that is not itself trusted, so a client cannot forge it by
 * sending its own header; everyone else's headers are ignored. Fastify's `request.ip` is given the
 * same list, so HTTP logs and the WebSocket side agree.
 */
import type { IncomingMessage } from 'node:http';
import proxyaddr from '@fastify/proxy-addr';

export type TrustProxy = (address: string, hop: number) => boolean;

/** Compiles the trusted list; throws `invalid IP address: …` on a bad entry. */
export function compileTrustProxy(list: readonly string[]): TrustProxy {
  return proxyaddr.compile([...list]);
}

/** The client's address (the socket peer's when it is not a trusted proxy), '' when unknown. */
export function clientAddress(request: IncomingMessage, trust: TrustProxy): string {
  if (request.socket.remoteAddress === undefined) return '';
  return unmapIPv4(proxyaddr(request, trust));
}

/** `::ffff:10.1.2.3` (an IPv4 peer on a dual-stack socket) → `10.1.2.3`, as operators write it. */
function unmapIPv4(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/**
 * Hash routing (`#/chat`): works from any path the hub serves the app at, and leaves the query string
 * (`?ws=`) alone. The route list is the navigation menu.
 */
import { signal } from '@preact/signals';

export const ROUTES = [
  { id: 'dashboard', label: 'Dashboard', icon: '◧' },
  { id: 'trends', label: 'Trends', icon: '↗' },
  { id: 'stocks', label: 'Stocks', icon: '$' },
  { id: 'chat', label: 'Chat', icon: '✉' },
  { id: 'counter', label: 'Counter', icon: '±' },
  { id: 'notifications', label: 'Notifications', icon: '!' },
  { id: 'whiteboard', label: 'Whiteboard', icon: '✎' },
  { id: 'playground', label: 'Playground', icon: '⇄' },
] as const;

export type RouteId = (typeof ROUTES)[number]['id'];

function routeFromHash(hash: string): RouteId {
  const id = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  const match = ROUTES.find((route) => route.id === id);
  return match ? match.id : 'dashboard';
}

export const route = signal<RouteId>(routeFromHash(window.location.hash));

window.addEventListener('hashchange', () => {
  route.value = routeFromHash(window.location.hash);
});

export function routeHref(id: RouteId): string {
  return `#/${id}`;
}

/** @jsxImportSource preact */
/**
 * The app shell: header (status, bell, theme, toasts), navigation, the current view and the page's
 * one `<h1>` (the view's name; each view shows its own title under it) and `document.title`.
 */
import type { ComponentType } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { StatusIndicator } from './components/status-indicator.tsx';
import { ChatView } from './chat/chat-view.tsx';
import { CounterView } from './counter/counter-view.tsx';
import { DashboardView } from './dashboard/dashboard-view.tsx';
import { route, routeHref, ROUTES, type RouteId } from './lib/router.ts';
import { theme, toggleTheme } from './lib/theme.ts';
import { NotificationBell } from './notifications/notification-bell.tsx';
import { NotificationToasts } from './notifications/notification-toasts.tsx';
import { NotificationsView } from './notifications/notifications-view.tsx';
import { PlaygroundView } from './playground/playground-view.tsx';
import { StocksView } from './stocks/stocks-view.tsx';
import { TrendsView } from './trends/trends-view.tsx';
import { WhiteboardView } from './whiteboard/whiteboard-view.tsx';

const VIEWS: Record<RouteId, ComponentType> = {
  dashboard: DashboardView,
  trends: TrendsView,
  stocks: StocksView,
  chat: ChatView,
  counter: CounterView,
  notifications: NotificationsView,
  whiteboard: WhiteboardView,
  playground: PlaygroundView,
};

const APP_NAME = 'TrendStream';

export function App() {
  const current = route.value;
  const View = VIEWS[current];
  const label = ROUTES.find((item) => item.id === current)?.label ?? APP_NAME;
  const navRef = useRef<HTMLElement>(null);

  useEffect(() => {
    document.title = `${label} · ${APP_NAME}`;
  }, [label]);

  // The active tab is scrolled into the nav's view (a deep link on a phone opens on a tab far right).
  useEffect(() => {
    const nav = navRef.current;
    const tab = nav?.querySelector<HTMLElement>('[aria-current="page"]');
    if (nav && tab) revealTab(nav, tab);
  }, [current]);

  return (
    <>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <header class="app-header">
        <a class="brand" href={routeHref('dashboard')}>
          <span class="brand-mark" aria-hidden="true">
            ◉
          </span>
          TrendStream
        </a>
        <div class="header-tools">
          <StatusIndicator />
          <NotificationBell />
          <button
            type="button"
            class="icon-button"
            onClick={toggleTheme}
            aria-label={theme.value === 'dark' ? 'Switch to light theme' : 'Switch to dark theme'}
            title="Toggle theme"
            data-testid="theme-toggle"
          >
            {theme.value === 'dark' ? '☀' : '☾'}
          </button>
        </div>
        <NotificationToasts />
      </header>
      <nav class="tabs" aria-label="Views" ref={navRef}>
        {ROUTES.map((item) => (
          <a
            key={item.id}
            href={routeHref(item.id)}
            class={`tab ${item.id === current ? 'active' : ''}`}
            aria-current={item.id === current ? 'page' : undefined}
            data-testid={`nav-${item.id}`}
          >
            <span class="tab-icon" aria-hidden="true">
              {item.icon}
            </span>
            {item.label}
          </a>
        ))}
      </nav>
      <main id="main" tabIndex={-1} aria-labelledby="view-heading">
        <h1 id="view-heading" class="visually-hidden">
          {label}
        </h1>
        <View />
      </main>
    </>
  );
}

/** Scrolls the tab strip (only it: the page stays where it is) so that `tab` is fully visible. */
function revealTab(nav: HTMLElement, tab: HTMLElement): void {
  const margin = 24;
  const left = tab.getBoundingClientRect().left - nav.getBoundingClientRect().left + nav.scrollLeft;
  const right = left + tab.offsetWidth;
  if (left - margin < nav.scrollLeft) {
    nav.scrollLeft = Math.max(0, left - margin);
  } else if (right + margin > nav.scrollLeft + nav.clientWidth) {
    nav.scrollLeft = right + margin - nav.clientWidth;
  }
}

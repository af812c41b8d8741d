/** @jsxImportSource preact */
/** The app shell: header (status, bell, theme), navigation, the current view and the toasts. */
import type { ComponentType } from 'preact';
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

export function App() {
  const current = route.value;
  const View = VIEWS[current];
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
      </header>
      <nav class="tabs" aria-label="Views">
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
      <main id="main" tabIndex={-1}>
        <View />
      </main>
      <NotificationToasts />
    </>
  );
}

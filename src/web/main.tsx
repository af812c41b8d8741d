/** @jsxImportSource preact */
/**
 * Entry point of the web app: theme first (no flash), then the always-on streams (dashboard
 * metrics and activity, notifications), then the shell.
 */
import { render } from 'preact';
import { App } from './app.tsx';
import { startActivity } from './dashboard/activity-store.ts';
import { startMetrics } from './dashboard/metrics-store.ts';
import { applyTheme } from './lib/theme.ts';
import { startNotifications } from './notifications/notifications-store.ts';
import './styles/theme.css';
import './styles/layout.css';
import './styles/components.css';
import './styles/views.css';

applyTheme();
startMetrics();
startActivity();
startNotifications();

const root = document.getElementById('app');
if (root) render(<App />, root);

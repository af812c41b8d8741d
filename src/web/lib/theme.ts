/** Dark/light theme: follows the system until the user picks one, which is remembered. */
import { signal } from '@preact/signals';

export type Theme = 'dark' | 'light';

const THEME_KEY = 'trendstream.theme';

export const theme = signal<Theme>(initialTheme());

function initialTheme(): Theme {
  try {
    const saved = localStorage.getItem(THEME_KEY);
    if (saved === 'dark' || saved === 'light') return saved;
  } catch {
    // Storage disabled: use the system preference.
  }
  return window.matchMedia('(prefers-color-scheme: light)').matches ? 'light' : 'dark';
}

export function applyTheme(): void {
  document.documentElement.dataset.theme = theme.value;
}

export function toggleTheme(): void {
  theme.value = theme.peek() === 'dark' ? 'light' : 'dark';
  try {
    localStorage.setItem(THEME_KEY, theme.peek());
  } catch {
    // Remembered for this page only.
  }
  applyTheme();
}

/** A CSS custom property's current value (charts read their colours from the theme). */
export function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

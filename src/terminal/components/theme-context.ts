/**
 * The colour palette as React context, so every component colours by role (rising, falling,
 * hot) and `--no-color` / NO_COLOR switch all of them off in one place.
 */
import { createContext, useContext } from 'react';
import { makeTheme, type Theme } from '../color-mode.ts';

export const ThemeContext = createContext<Theme>(makeTheme(false));

export function useTheme(): Theme {
  return useContext(ThemeContext);
}

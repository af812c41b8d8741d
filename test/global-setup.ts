/**
 * Runs once before any suite: builds the web app when it is stale (a clean clone has none), so the
 * web suites' `beforeAll` hooks find it built instead of waiting for Vite under a loaded CI machine
 * (a clean-clone run timed out a hook that way). Costs nothing when `dist/web` is up to date.
 */
import { ensureWebBuild } from '../scripts/build-web.ts';

export default async function buildWebAppOnce(): Promise<void> {
  await ensureWebBuild();
}

/**
 * Where `serve` finds the built web app: `dist/web` of this package. Written relative to this module
 * so it resolves the same from the compiled CLI (dist/cli → dist/web) and from the sources in a
 * checkout (src/cli → dist/web, built by `npm run build`).
 */
import { access } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const BUILT_WEB_ROOT = fileURLToPath(new URL('../../dist/web/', import.meta.url));

/** The web root to serve, or an error that says how to get one. */
export async function checkWebRoot(root: string): Promise<string> {
  const index = path.join(root, 'index.html');
  try {
    await access(index);
  } catch {
    throw new Error(
      `the web app is not built (no ${index}): run \`npm run build\` in the checkout, or pass --no-web`,
    );
  }
  return root;
}

/**
 * ARCHITECTURE.md's layer rule, checked: every import between folders of src/ points down the graph,
 * nothing in src/ imports bench/ or test/, and the SDK and protocol import no Node built-in.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/** What each layer may import besides itself. `index` is src/index.ts, the package's server entry. */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  protocol: [],
  client: ['protocol'],
  apps: [],
  engine: ['protocol'],
  feeds: ['protocol'],
  server: ['apps', 'engine', 'feeds', 'protocol'],
  terminal: ['client', 'protocol'],
  web: ['client', 'protocol'],
  cli: ['server', 'feeds', 'terminal', 'client', 'protocol'],
  index: ['server', 'engine', 'feeds', 'protocol'],
};

/** Layers that run in browsers: no `node:` module and no `ws` (the SDK's Node entry aside). */
const BROWSER_LAYERS = new Set(['protocol', 'client', 'web']);
const NODE_ONLY_FILES = new Set(['client/node.ts', 'web/vite.config.ts']);

const IMPORT_PATTERN = /(?:from|import)\s*\(?\s*'([^']+)'/g;

async function sourceFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return sourceFiles(full);
      return Promise.resolve(/\.tsx?$/.test(entry.name) ? [full] : []);
    }),
  );
  return nested.flat();
}

function layerOf(file: string): string {
  const relative = path.relative(SRC, file);
  const [first] = relative.split(path.sep);
  return relative === 'index.ts' ? 'index' : (first ?? '');
}

it('keeps every import between layers pointing down, and browser layers free of Node', async () => {
  const problems: string[] = [];
  for (const file of await sourceFiles(SRC)) {
    const from = layerOf(file);
    const relativeFile = path.relative(SRC, file).split(path.sep).join('/');
    const text = await readFile(file, 'utf8');
    for (const [, specifier] of text.matchAll(IMPORT_PATTERN)) {
      if (specifier === undefined) continue;
      if (specifier.startsWith('.')) {
        const target = path.resolve(path.dirname(file), specifier);
        if (!target.startsWith(SRC)) {
          problems.push(`${relativeFile} imports ${specifier}, outside src/`);
          continue;
        }
        const to = layerOf(target);
        if (to !== from && !(ALLOWED[from] ?? []).includes(to)) {
          problems.push(`${relativeFile} (${from}) imports ${specifier} (${to})`);
        }
      } else if (BROWSER_LAYERS.has(from) && !NODE_ONLY_FILES.has(relativeFile)) {
        if (specifier.startsWith('node:') || specifier === 'ws') {
          problems.push(`${relativeFile} (${from}, runs in browsers) imports ${specifier}`);
        }
      }
    }
  }
  expect(problems).toEqual([]);
});

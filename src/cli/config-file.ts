/**
 * The `serve --config` file: one JSON object of settings keyed like the flags in snake_case
 * (`"jwt_secret"`, `"max_frame_bytes"`, `"trends": false`). Its TypeBox schema is built from the
 * SERVE_OPTIONS table, so the file's type and its runtime check come from one source, and every
 * problem (missing file, bad JSON, unknown key, bad value) becomes one ConfigError line that names
 * the file and the key.
 */
import { readFile } from 'node:fs/promises';
import { Type, type Static, type TOptional } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import {
  ConfigError,
  quote,
  SERVE_OPTIONS,
  serveOptionRows,
  type ServeOption,
  type ServeOptionKey,
} from './serve-options.ts';

type FileProperties = { [K in ServeOptionKey]: TOptional<(typeof SERVE_OPTIONS)[K]['schema']> };

function fileProperties(): FileProperties {
  const entries = serveOptionRows().map(([key, row]) => [key, Type.Optional(row.schema)] as const);
  // Object.fromEntries forgets which schema goes with which key; the mapped type above restores it.
  return Object.fromEntries(entries) as FileProperties;
}

/** Every key optional (the file sets what it wants); any other key is an error, not ignored. */
export const ConfigFileSchema = Type.Object(fileProperties(), { additionalProperties: false });
export type ConfigFile = Static<typeof ConfigFileSchema>;

/** Reads and checks a config file; `file` is named in messages as the user wrote it. */
export async function readConfigFile(file: string): Promise<ConfigFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : oneLine(error);
    throw new ConfigError(`${file}: cannot read the config file (${reason})`);
  }
  return parseConfigFile(file, text);
}

/** Parses and checks a config file's text. */
export function parseConfigFile(file: string, text: string): ConfigFile {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${file}: not valid JSON (${oneLine(error)})`);
  }
  if (Value.Check(ConfigFileSchema, data)) return data;
  throw new ConfigError(`${file}: ${describeProblem(data)}`);
}

/** The first thing wrong with a file's content, phrased for the person who wrote it. */
function describeProblem(data: unknown): string {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return `must be a JSON object of settings, got ${quote(data)}`;
  }
  const error = Value.Errors(ConfigFileSchema, data).First();
  if (error === undefined) return 'invalid';
  const [, first = '', ...deeper] = error.path.split('/').map(decodePointerSegment);
  if (!Object.hasOwn(SERVE_OPTIONS, first)) return unknownKeyMessage(first);
  const row: ServeOption = SERVE_OPTIONS[first as ServeOptionKey];
  const value = (data as Record<string, unknown>)[first];
  // An object-valued key (`namespaces`) names the key inside it: namespaces.orders.history_size.
  const explained = row.explain?.(value);
  if (explained !== undefined) return explained;
  const where = deeper.length > 0 ? ` (at ${error.path}: ${error.message})` : '';
  return `"${first}" must be ${row.expected}, got ${quote(value)}${where}`;
}

function unknownKeyMessage(key: string): string {
  const suggestion = suggestKey(key);
  const hint = suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
  return `unknown key "${key}"${hint}`;
}

/**
 * The known key closest to a mistyped one: same letters in another spelling (`jwtSecret`,
 * `jwt-secret`), the env var's name (`redis_url` → `redis`), or a few typos away.
 */
export function suggestKey(key: string): string | undefined {
  const wanted = normalize(key);
  let best: { key: string; distance: number } | undefined;
  for (const [known, row] of serveOptionRows()) {
    if (normalize(known) === wanted || (row.flag?.env !== undefined && normalize(row.flag.env) === wanted)) {
      return known;
    }
    const distance = editDistance(wanted, normalize(known));
    if (best === undefined || distance < best.distance) best = { key: known, distance };
  }
  const tolerated = Math.max(1, Math.floor(wanted.length / 3));
  return best !== undefined && best.distance <= tolerated ? best.key : undefined;
}

function normalize(key: string): string {
  return key.toLowerCase().replace(/[-_\s]/g, '');
}

/** Edit distance counting a swap of neighbours as one edit (`prot` → `port`); keys are short. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}

/** JSON Pointer escapes (`~1` is `/`, `~0` is `~`), as TypeBox writes error paths. */
function decodePointerSegment(segment: string): string {
  return segment.replaceAll('~1', '/').replaceAll('~0', '~');
}

function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s*\n\s*/g, ' ');
}

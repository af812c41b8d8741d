/**
 * Where each `serve` setting comes from: built-in defaults < config file < environment variables <
 * command-line flags. Registers the SERVE_OPTIONS flags on the command, then merges the sources into
 * a Partial<ServerConfig>, checking flag and env values against the same schemas as the file.
 * `--namespace` specs merge into the file's `namespaces` namespace by namespace, key by key.
 */
import { Option, type Command } from 'commander';
import { Value } from '@sinclair/typebox/value';
import { resolveConfig, type ServerConfig } from '../server/config.ts';
import { buildNamespaceTable, NamespaceConfigError } from '../server/namespace-config.ts';
import { readConfigFile } from './config-file.ts';
import {
  mergeNamespaces,
  NAMESPACE_FLAG_HELP,
  namespaceFlagError,
  parseNamespaceSpecs,
} from './namespace-flag.ts';
import {
  ConfigError,
  flagName,
  quote,
  serveOptionRows,
  type FlagSpec,
  type ServeOption,
} from './serve-options.ts';
import { checkWebRoot } from './web-root.ts';

/** Adds `--config` and one flag per SERVE_OPTIONS row that has one. */
export function addServeOptions(command: Command): void {
  command.addOption(
    new Option('--config <file>', 'JSON file of settings, keyed like the flags in snake_case').env(
      'TRENDSTREAM_CONFIG',
    ),
  );
  command.addOption(
    new Option('--namespace <spec>', NAMESPACE_FLAG_HELP).argParser(
      (spec: string, previous: string[] | undefined) => [...(previous ?? []), spec],
    ),
  );
  for (const [key, row] of serveOptionRows()) {
    if (row.flag) command.addOption(commanderOption(key, row.flag));
  }
}

function commanderOption(key: string, flag: FlagSpec): Option {
  // A setting without an argument is a switch: `--no-x` turns an on-by-default setting off,
  // `--x` (turnsOn) an off-by-default one on.
  if (flag.arg === undefined) {
    return new Option(flag.turnsOn ? `--${flagName(key)}` : `--no-${flagName(key)}`, flag.help);
  }
  const short = flag.short === undefined ? '' : `${flag.short}, `;
  const option = new Option(`${short}--${flagName(key)} ${flag.arg}`, flag.help);
  if (flag.env !== undefined) option.env(flag.env);
  // For --help only: a value whose source is 'default' is never read (see valueOf), so that the
  // config file can still set it. The real defaults are DEFAULT_CONFIG's (or the row's cliDefault).
  if (flag.shownDefault !== undefined) option.default(null, flag.shownDefault);
  return option;
}

/** The server config from the command's flags and env vars, the config file, and the defaults. */
export async function serveConfig(command: Command): Promise<Partial<ServerConfig>> {
  const path = command.getOptionValue('config') as string | undefined;
  const file: Readonly<Record<string, unknown>> = path ? await readConfigFile(path) : {};
  const config: Partial<ServerConfig> = {};
  for (const [key, row] of serveOptionRows()) {
    const value = valueOf(command, key, row, file);
    if (value !== undefined) row.apply(config, value);
  }
  const specs = (command.getOptionValue('namespace') as string[] | undefined) ?? [];
  const flagged = parseNamespaceSpecs(specs);
  if (specs.length > 0) config.namespaces = mergeNamespaces(config.namespaces ?? {}, flagged);
  checkNamespaces(config, flagged, path);
  try {
    if (config.webRoot) config.webRoot = await checkWebRoot(config.webRoot);
    // Settings that are fine alone but not together (e.g. max_queued_bytes below max_frame_bytes).
    resolveConfig(config);
  } catch (error) {
    throw new ConfigError(inFlagTerms(error instanceof Error ? error.message : String(error)));
  }
  return config;
}

/**
 * The merged namespaces as the server will build them (join_leave needs presence, only built-ins can
 * be switched off, …): a problem is blamed on `--namespace` when a flag set that namespace, else on
 * the config file.
 */
function checkNamespaces(
  config: Partial<ServerConfig>,
  flagged: Readonly<Record<string, unknown>>,
  file: string | undefined,
): void {
  try {
    buildNamespaceTable(config.namespaces);
  } catch (error) {
    if (!(error instanceof NamespaceConfigError)) throw error;
    if (error.namespace !== undefined && Object.hasOwn(flagged, error.namespace)) {
      throw namespaceFlagError(error.namespace, error.key, error.problem);
    }
    throw new ConfigError(file === undefined ? error.message : `${file}: ${error.message}`);
  }
}

/**
 * resolveConfig names a setting as `allowedOrigins (--allowed-origins)` (its readers may be
 * programs passing ServerConfig or people typing flags); a person at the command line gets the flag.
 */
function inFlagTerms(message: string): string {
  return message.replace(/\b[a-z][A-Za-z]*[A-Z][A-Za-z]* \((--[a-z][a-z-]*)\)/g, '$1');
}

/** One setting's value from the strongest source that sets it; undefined leaves DEFAULT_CONFIG's. */
function valueOf(
  command: Command,
  key: string,
  row: ServeOption,
  file: Readonly<Record<string, unknown>>,
): unknown {
  // Commander's attribute of `--jwt-secret` and `--no-trends`: jwtSecret, trends.
  const attribute = key.replace(/_([a-z])/g, (_match, letter: string) => letter.toUpperCase());
  const source = command.getOptionValueSource(attribute);
  if (row.flag && (source === 'cli' || source === 'env')) {
    const raw = command.getOptionValue(attribute) as string | boolean;
    const value = row.fromFlag ? row.fromFlag(raw) : raw;
    if (!Value.Check(row.schema, value)) {
      const name = source === 'env' && row.flag.env ? row.flag.env : `--${flagName(key)}`;
      throw new ConfigError(`${name} must be ${row.expected}, got ${quote(raw)}`);
    }
    return value;
  }
  if (Object.hasOwn(file, key)) return file[key];
  return row.cliDefault?.();
}

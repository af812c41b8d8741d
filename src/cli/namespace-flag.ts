/**
 * `serve --namespace <spec>`, repeatable: one-off namespace settings on the command line, merged over
 * the config file's `namespaces` key by key (a flag wins over the file for the keys it sets).
 *
 *   --namespace 'orders:history_size=100,client_publish=true,publish_proxy=true'
 *   --namespace orders          (a namespace with the default settings)
 *   --namespace stocks:off      (switch a built-in namespace off)
 *
 * Values are integers, `true`/`false`, or else strings (`snapshot=latest`); keys are the config file's.
 */
import {
  NAMESPACE_NAME_PATTERN,
  namespaceSettingProblem,
  type NamespaceSettings,
  type NamespacesConfig,
} from '../server/namespace-config.ts';
import { BUILT_IN_NAMESPACES } from '../server/namespaces.ts';
import { ConfigError, quote } from './serve-options.ts';

export const NAMESPACE_FLAG_HELP =
  "add or change a namespace, repeatable: 'orders:history_size=100,client_publish=true' " +
  "(keys as in the config file's namespaces); 'stocks:off' switches a built-in off";

const namePattern = new RegExp(NAMESPACE_NAME_PATTERN);

/** The namespaces of every `--namespace` spec, later specs over earlier ones key by key. */
export function parseNamespaceSpecs(specs: readonly string[]): NamespacesConfig {
  let config: NamespacesConfig = {};
  for (const spec of specs) config = mergeNamespaces(config, parseNamespaceSpec(spec));
  return config;
}

/** One spec: `name`, `name:key=value,…` or `name:off`. Throws ConfigError naming namespace and key. */
export function parseNamespaceSpec(spec: string): NamespacesConfig {
  const colon = spec.indexOf(':');
  const name = (colon === -1 ? spec : spec.slice(0, colon)).trim();
  const rest = colon === -1 ? '' : spec.slice(colon + 1).trim();
  if (!namePattern.test(name)) {
    throw new ConfigError(
      `--namespace ${quote(spec)}: ${quote(name)} is not a namespace name ` +
        '(letters, digits, _ . @ -); write name:key=value,... or name:off',
    );
  }
  if (rest === 'off') {
    if (!Object.hasOwn(BUILT_IN_NAMESPACES, name)) {
      const builtIn = Object.keys(BUILT_IN_NAMESPACES).join(', ');
      throw new ConfigError(
        `--namespace ${name}:off: only a built-in namespace can be switched off (${builtIn})`,
      );
    }
    return { [name]: false };
  }
  // Each value is checked against its key's schema before it is kept.
  const settings: Record<string, unknown> = {};
  for (const item of rest.split(',').map((part) => part.trim())) {
    if (item === '') continue;
    const equals = item.indexOf('=');
    if (equals === -1) {
      const hint = item === 'off' ? ` (${name}:off switches the namespace off alone)` : '';
      throw new ConfigError(`--namespace ${name}: ${quote(item)} is not key=value${hint}`);
    }
    const key = item.slice(0, equals).trim();
    const value = flagValue(item.slice(equals + 1).trim());
    const problem = namespaceSettingProblem(key, value);
    if (problem !== undefined) throw namespaceFlagError(name, key, problem);
    settings[key] = value;
  }
  const checked: NamespaceSettings = settings;
  return { [name]: checked };
}

/** `--namespace orders: history_size must be …` / `--namespace orders: join_leave: …`. */
export function namespaceFlagError(name: string, key: string | undefined, problem: string): ConfigError {
  const where = key === undefined ? '' : `${key}${problem.startsWith('must ') ? ' ' : ': '}`;
  return new ConfigError(`--namespace ${name}: ${where}${problem}`);
}

/** `over` wins key by key within a namespace; `false` (off) replaces the namespace's settings. */
export function mergeNamespaces(base: NamespacesConfig, over: NamespacesConfig): NamespacesConfig {
  const merged: NamespacesConfig = { ...base };
  for (const [name, settings] of Object.entries(over)) {
    const before = merged[name];
    merged[name] = settings === false ? false : { ...(before === false ? {} : before), ...settings };
  }
  return merged;
}

function flagValue(raw: string): unknown {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (/^-?\d+$/.test(raw)) return Number(raw);
  return raw;
}

/**
 * The `namespaces` setting: the application's own namespaces, and changes to the built-in ones, in
 * the shape `GET /api/channels` reports them (snake_case). One TypeBox schema gives the type and the
 * runtime check; `buildNamespaceTable` merges it over the built-in table and names the key at fault.
 *
 * `{"orders": {"history_size": 100, "client_publish": true, "publish_proxy": true}, "stocks": false}`
 * adds `orders` (unset keys take NAMESPACE_DEFAULTS) and switches the built-in `stocks` off; a
 * built-in namespace named here keeps what it does not override (its publish rules, its state kind).
 */
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import {
  BUILT_IN_NAMESPACES,
  NAMESPACE_DEFAULTS,
  NamespaceTable,
  type NamespaceOptions,
} from './namespaces.ts';

/** A namespace name: a channel name's first part, so no `:` or `#`. */
export const NAMESPACE_NAME_PATTERN = '^[A-Za-z0-9_.@-]{1,64}$';

export const NamespaceSettingsSchema = Type.Object(
  {
    history_size: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
    history_ttl_ms: Type.Optional(Type.Integer({ minimum: 0 })),
    client_publish: Type.Optional(Type.Boolean()),
    presence: Type.Optional(Type.Boolean()),
    join_leave: Type.Optional(Type.Boolean()),
    ephemeral: Type.Optional(Type.Boolean()),
    snapshot: Type.Optional(Type.Union([Type.Literal('none'), Type.Literal('latest')])),
    user_channels: Type.Optional(Type.Boolean()),
    subscribe_proxy: Type.Optional(Type.Boolean()),
    publish_proxy: Type.Optional(Type.Boolean()),
    publication_webhook: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type NamespaceSettings = Static<typeof NamespaceSettingsSchema>;

/** `false` switches a built-in namespace off. A key that is not a namespace name is an error, not ignored. */
export const NamespacesConfigSchema = Type.Record(
  Type.String({ pattern: NAMESPACE_NAME_PATTERN }),
  Type.Union([NamespaceSettingsSchema, Type.Literal(false)]),
  { additionalProperties: false },
);
export type NamespacesConfig = Static<typeof NamespacesConfigSchema>;

type SettingKey = keyof NamespaceSettings;

/** What each setting's value must be, completing "must be …" in messages. */
const SETTING_EXPECTED: Record<SettingKey, string> = {
  history_size: 'an integer from 0 to 100000',
  history_ttl_ms: 'a non-negative integer (ms)',
  client_publish: 'true or false',
  presence: 'true or false',
  join_leave: 'true or false',
  ephemeral: 'true or false',
  snapshot: '"none" or "latest"',
  user_channels: 'true or false',
  subscribe_proxy: 'true or false',
  publish_proxy: 'true or false',
  publication_webhook: 'true or false',
};

export const NAMESPACE_SETTING_KEYS = Object.keys(SETTING_EXPECTED) as SettingKey[];

/**
 * A bad `namespaces` value. The message names the key (`namespaces.orders.history_size must be …`,
 * `namespaces.orders.join_leave: join/leave events need …`); `namespace`, `key` and `problem` are its
 * parts, for callers that name the source their own way (the CLI's `--namespace` flag).
 */
export class NamespaceConfigError extends Error {
  override name = 'NamespaceConfigError';

  constructor(
    readonly namespace: string | undefined,
    readonly key: string | undefined,
    /** The message without the key: `must be …, got …` or an explanation. */
    readonly problem: string,
  ) {
    const path = ['namespaces', namespace, key].filter((part) => part !== undefined).join('.');
    super(`${path}${problem.startsWith('must ') ? ' ' : ': '}${problem}`);
  }
}

/** What is wrong with one setting's value (unknown key, wrong type), or undefined when it is fine. */
export function namespaceSettingProblem(key: string, value: unknown): string | undefined {
  if (!Object.hasOwn(SETTING_EXPECTED, key)) {
    return `unknown setting (known: ${NAMESPACE_SETTING_KEYS.join(', ')})`;
  }
  if (Value.Check(NamespaceSettingsSchema, { [key]: value })) return undefined;
  return `must be ${SETTING_EXPECTED[key as SettingKey]}, got ${shown(value)}`;
}

/** The server's namespace table: built-ins, then `config` over them. Throws NamespaceConfigError. */
export function buildNamespaceTable(config: NamespacesConfig = {}): NamespaceTable {
  checkShape(config);
  const table: Record<string, NamespaceOptions> = { ...BUILT_IN_NAMESPACES };
  for (const [name, settings] of Object.entries(config)) {
    if (settings === false) {
      if (!Object.hasOwn(BUILT_IN_NAMESPACES, name)) {
        throw new NamespaceConfigError(
          name,
          undefined,
          `false switches off a built-in namespace, and ${name} is not one`,
        );
      }
      delete table[name];
      continue;
    }
    const builtIn = Object.hasOwn(BUILT_IN_NAMESPACES, name) ? BUILT_IN_NAMESPACES[name] : undefined;
    table[name] = applySettings(name, builtIn ?? NAMESPACE_DEFAULTS, settings, builtIn !== undefined);
  }
  return new NamespaceTable(table);
}

function applySettings(
  name: string,
  base: NamespaceOptions,
  s: NamespaceSettings,
  builtIn: boolean,
): NamespaceOptions {
  const options: NamespaceOptions = { ...base };
  if (s.history_size !== undefined) options.historySize = s.history_size;
  if (s.history_ttl_ms !== undefined) options.historyTtlMs = s.history_ttl_ms;
  if (s.presence !== undefined) options.presence = s.presence;
  if (s.join_leave !== undefined) options.joinLeave = s.join_leave;
  if (s.ephemeral !== undefined) options.ephemeral = s.ephemeral;
  if (s.user_channels !== undefined) options.userChannels = s.user_channels;
  if (s.subscribe_proxy !== undefined) options.subscribeProxy = s.subscribe_proxy;
  if (s.publish_proxy !== undefined) options.publishProxy = s.publish_proxy;
  if (s.publication_webhook !== undefined) options.publicationWebhook = s.publication_webhook;
  if (s.client_publish !== undefined) {
    // A built-in app (chat, counter, board) keeps its rules when publishing stays on.
    options.clientPublish = s.client_publish ? (base.clientPublish ?? 'free') : null;
  }
  if (s.snapshot !== undefined) {
    if (builtIn && (base.state === 'counter' || base.state === 'board')) {
      throw new NamespaceConfigError(
        name,
        'snapshot',
        `the built-in ${name} namespace keeps its ${base.state} state`,
      );
    }
    options.state = s.snapshot;
  }
  if (options.joinLeave && !options.presence) {
    throw new NamespaceConfigError(name, 'join_leave', 'join/leave events need "presence": true');
  }
  if (options.publishProxy && options.clientPublish === null) {
    throw new NamespaceConfigError(
      name,
      'publish_proxy',
      'clients cannot publish here; set "client_publish": true',
    );
  }
  if (options.historySize > 0 && options.historyTtlMs === 0) {
    throw new NamespaceConfigError(
      name,
      'history_ttl_ms',
      'must be above 0 when history_size is (or set history_size to 0)',
    );
  }
  return options;
}

function checkShape(config: unknown): asserts config is NamespacesConfig {
  if (Value.Check(NamespacesConfigSchema, config)) return;
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new NamespaceConfigError(
      undefined,
      undefined,
      `must be an object of namespace name → settings or false, got ${shown(config)}`,
    );
  }
  for (const [name, settings] of Object.entries(config)) {
    if (!new RegExp(NAMESPACE_NAME_PATTERN).test(name)) {
      throw new NamespaceConfigError(
        undefined,
        undefined,
        `"${name.slice(0, 40)}" is not a namespace name (1 to 64 letters, digits, _ . @ -, no : or #)`,
      );
    }
    if (settings === false) continue;
    if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
      throw new NamespaceConfigError(
        name,
        undefined,
        `must be an object of settings, or false, got ${shown(settings)}`,
      );
    }
    for (const [key, value] of Object.entries(settings as Record<string, unknown>)) {
      const problem = namespaceSettingProblem(key, value);
      if (problem !== undefined) throw new NamespaceConfigError(name, key, problem);
    }
  }
  throw new NamespaceConfigError(undefined, undefined, 'invalid');
}

/** A value as a message quotes it: JSON, cut short. */
function shown(value: unknown): string {
  const json = JSON.stringify(value) ?? String(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

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

/** `false` switches a built-in namespace off. */
export const NamespacesConfigSchema = Type.Record(
  Type.String({ pattern: NAMESPACE_NAME_PATTERN }),
  Type.Union([NamespaceSettingsSchema, Type.Literal(false)]),
);
export type NamespacesConfig = Static<typeof NamespacesConfigSchema>;

export class NamespaceConfigError extends Error {
  override name = 'NamespaceConfigError';
}

/** The server's namespace table: built-ins, then `config` over them. Throws NamespaceConfigError. */
export function buildNamespaceTable(config: NamespacesConfig = {}): NamespaceTable {
  checkShape(config);
  const table: Record<string, NamespaceOptions> = { ...BUILT_IN_NAMESPACES };
  for (const [name, settings] of Object.entries(config)) {
    if (settings === false) {
      if (!Object.hasOwn(BUILT_IN_NAMESPACES, name)) {
        throw new NamespaceConfigError(
          `namespaces.${name}: false switches off a built-in namespace, and ${name} is not one`,
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
        `namespaces.${name}.snapshot: the built-in ${name} namespace keeps its ${base.state} state`,
      );
    }
    options.state = s.snapshot;
  }
  if (options.joinLeave && !options.presence) {
    throw new NamespaceConfigError(`namespaces.${name}.join_leave: join/leave events need "presence": true`);
  }
  if (options.publishProxy && options.clientPublish === null) {
    throw new NamespaceConfigError(
      `namespaces.${name}.publish_proxy: clients cannot publish here; set "client_publish": true`,
    );
  }
  if (options.historySize > 0 && options.historyTtlMs === 0) {
    throw new NamespaceConfigError(
      `namespaces.${name}.history_ttl_ms: must be above 0 when history_size is (or set history_size to 0)`,
    );
  }
  return options;
}

function checkShape(config: unknown): asserts config is NamespacesConfig {
  if (Value.Check(NamespacesConfigSchema, config)) return;
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new NamespaceConfigError('namespaces: must be an object of namespace name → settings or false');
  }
  for (const [name, settings] of Object.entries(config)) {
    if (!new RegExp(NAMESPACE_NAME_PATTERN).test(name)) {
      throw new NamespaceConfigError(
        `namespaces: "${name.slice(0, 40)}" is not a namespace name (letters, digits, _ . @ -, no : or #)`,
      );
    }
    if (settings === false) continue;
    if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
      throw new NamespaceConfigError(`namespaces.${name}: must be an object of settings, or false`);
    }
    for (const [key, value] of Object.entries(settings as Record<string, unknown>)) {
      const schema = (NamespaceSettingsSchema.properties as Record<string, unknown>)[key];
      if (schema === undefined) {
        const known = Object.keys(NamespaceSettingsSchema.properties).join(', ');
        throw new NamespaceConfigError(`namespaces.${name}.${key}: unknown setting (known: ${known})`);
      }
      const error = Value.Errors(NamespaceSettingsSchema, { [key]: value }).First();
      if (error) {
        throw new NamespaceConfigError(
          `namespaces.${name}.${key}: ${error.message.toLowerCase()}, got ${JSON.stringify(value)}`,
        );
      }
    }
  }
  throw new NamespaceConfigError('namespaces: invalid');
}

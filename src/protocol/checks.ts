/** The building blocks of the protocol's runtime checks (payload-guards.ts, server-frame-guard.ts). */

export type Guard<T> = (value: unknown) => value is T;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

export function isString(value: unknown): value is string {
  return typeof value === 'string';
}

export function isBoolean(value: unknown): value is boolean {
  return typeof value === 'boolean';
}

/** Every element passes `guard`. */
export function isArrayOf<T>(value: unknown, guard: Guard<T>): value is T[] {
  return Array.isArray(value) && value.every((item) => guard(item));
}

/** `value` is an object whose each of `fields` passes its check (absent fields are `undefined`). */
export function hasFields(value: unknown, fields: Record<string, (field: unknown) => boolean>): boolean {
  if (!isRecord(value)) return false;
  for (const key in fields) {
    if (!fields[key](value[key])) return false;
  }
  return true;
}

/** Wraps a check so that `undefined` passes too: an optional field. */
export function optional(check: (value: unknown) => boolean): (value: unknown) => boolean {
  return (value) => value === undefined || check(value);
}

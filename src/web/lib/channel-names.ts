/** User-typed names for rooms, counters and boards, made safe for a channel suffix. */

/** Lower-case letters, digits, `-` and `_`, at most 32 characters; '' when nothing usable is left. */
export function normalizeChannelSuffix(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 32);
}

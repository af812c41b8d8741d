/** What a channel app says about a client's publish: the data to store, or why it is refused. */
export type AppResult = { ok: true; data: unknown } | { ok: false; message: string };

export function refuse(message: string): AppResult {
  return { ok: false, message };
}

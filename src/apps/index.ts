/** The channel apps by name, as namespaces refer to them (NamespaceOptions.clientPublish). */
import type { AppResult } from './app-result.ts';
import { acceptChatMessage } from './chat.ts';
import { acceptCounterOp } from './counter.ts';
import { acceptBoardOp } from './whiteboard.ts';

export type { AppResult };

/** How client publications are checked and shaped before they are stored, by app name. */
export type PublishApp = 'chat' | 'counter' | 'board' | 'free';

export const PUBLISH_APPS: Readonly<Record<PublishApp, (data: unknown) => AppResult>> = {
  chat: acceptChatMessage,
  counter: acceptCounterOp,
  board: acceptBoardOp,
  free: (data) => ({ ok: true, data }),
};

/** The channel apps by name, as namespaces refer to them (NamespaceOptions.clientPublish). */
import type { PublishApp } from '../server/namespaces.ts';
import type { AppResult } from './app-result.ts';
import { acceptChatMessage } from './chat.ts';
import { acceptCounterOp } from './counter.ts';
import { acceptBoardOp } from './whiteboard.ts';

export type { AppResult };

export const PUBLISH_APPS: Readonly<Record<PublishApp, (data: unknown) => AppResult>> = {
  chat: acceptChatMessage,
  counter: acceptCounterOp,
  board: acceptBoardOp,
  free: (data) => ({ ok: true, data }),
};

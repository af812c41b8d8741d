/**
 * Chat messages: `{text}` only. The sender's name is not taken from the data: the server stamps
 * the publication's `from`, so nobody can post under someone else's name.
 */
import { Type } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { refuse, type AppResult } from './app-result.ts';

export const MAX_CHAT_TEXT = 2000;

const ChatMessage = TypeCompiler.Compile(
  Type.Object({ text: Type.String({ minLength: 1, maxLength: MAX_CHAT_TEXT }) }),
);

export function acceptChatMessage(data: unknown): AppResult {
  if (!ChatMessage.Check(data))
    return refuse(`chat messages are {"text": string of 1..${MAX_CHAT_TEXT} chars}`);
  const text = data.text.trim();
  if (text === '') return refuse('chat message is empty');
  return { ok: true, data: { text } };
}

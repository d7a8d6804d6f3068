// Shared by the unit tests of the edit patching and the undo notices: a message and an
// EditResult's `changes` that touch nothing.
import type { Changes, Message } from './bindings/api';

export const msg = (id: string, text = id, extra: Partial<Message> = {}): Message => ({ id, text, ...extra }) as Message;

export const none: Changes = {
  messages: [],
  removedMessages: [],
  order: false,
  participants: false,
  theme: false,
  canvas: false,
  timing: false,
  audio: false,
  name: false,
};

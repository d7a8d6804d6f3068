// Applying an acknowledged edit to the editor's copy of the document from the edit's `Changes`,
// instead of fetching the whole document again: on a long chat a refetch costs tens of
// milliseconds and re-renders every row, while an edit usually touches one message.
import type { Changes, Message, MessageAt } from './bindings/api';

/** Changes that touch more than the message list: the editor refetches the document for them. */
export function touchesMoreThanMessages(c: Changes): boolean {
  return c.participants || c.theme || c.canvas || c.timing || c.audio || c.name;
}

/**
 * The message list after an edit. `changes.messages` holds every added, edited or moved message
 * with its final index (ascending) and `changes.removedMessages` every deleted id; messages not
 * named keep their relative order (no op reorders a message without naming it). Unchanged
 * messages keep their object identity, so a keyed list leaves their rows alone. Returns `null`
 * when the changes do not fit the list (the caller then refetches).
 */
export function patchMessages(messages: Message[], changes: Changes): Message[] | null {
  if (!changes.messages.length && !changes.removedMessages.length) return messages;
  const named = new Set<string>(changes.removedMessages);
  for (const at of changes.messages) named.add(at.message.id ?? '');
  const kept = messages.filter((m) => !named.has(m.id ?? ''));
  const out: Message[] = [];
  let k = 0;
  for (const at of changes.messages) {
    while (out.length < at.index) {
      if (k >= kept.length) return null;
      out.push(kept[k++]);
    }
    if (out.length !== at.index) return null;
    out.push(at.message);
  }
  while (k < kept.length) out.push(kept[k++]);
  return out;
}

/** The messages an edit added (not in `before`), with their positions and times. */
export function added(before: Message[], changes: Changes): MessageAt[] {
  const had = new Set(before.map((m) => m.id));
  return changes.messages.filter((at) => at.message.id && !had.has(at.message.id));
}

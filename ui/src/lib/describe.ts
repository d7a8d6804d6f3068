// Words for what an undo or redo did ("Undid: delete message “hey”"), read from the edit's
// `Changes` and the message list as it was before: an undo answers with the change that takes an
// op back, so a message that comes back was deleted by the op, one that goes away was added.
import type { Changes, Message } from './bindings/api';

const QUOTE_MAX = 28;

/** A message as a short quote: its text (cut at QUOTE_MAX), or its kind when it has none. */
export function quote(m: Message | undefined): string {
  if (!m) return 'message';
  const text = (m.text ?? '').replace(/\s+/g, ' ').trim();
  if (!text) return m.kind === 'image' ? 'photo' : 'message';
  const chars = [...text];
  return `“${chars.length > QUOTE_MAX ? chars.slice(0, QUOTE_MAX - 1).join('') + '…' : text}”`;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** What changed in one message that was there before and after. */
function editOf(was: Message, now: Message): string {
  if ((was.text ?? '') !== (now.text ?? '')) return `edit ${quote(was)}`;
  if (!same(was.reactions, now.reactions)) return `reaction on ${quote(now)}`;
  if (was.sender !== now.sender) return `sender of ${quote(now)}`;
  if (!same(was.timing, now.timing)) return `timing of ${quote(now)}`;
  if (was.kind !== now.kind) return `kind of ${quote(now)}`;
  return `change to ${quote(now)}`;
}

/** The op an undo took back (`undo`) or a redo made again (`redo`), in a few words. */
export function describeChange(kind: 'undo' | 'redo', before: Message[], c: Changes): string {
  const byId = new Map(before.map((m, i) => [m.id, { m, i }]));
  const appeared = c.messages.filter((at) => !byId.has(at.message.id));
  const gone = c.removedMessages.map((id) => byId.get(id)?.m);
  // For an undo, what appeared is what the op had deleted; for a redo, what it adds.
  const [added, deleted] = kind === 'undo' ? [gone, appeared.map((a) => a.message)] : [appeared.map((a) => a.message), gone];
  const count = (n: number, what: string) => `${what} ${n} messages`;
  if (deleted.length) return deleted.length === 1 ? `delete message ${quote(deleted[0])}` : count(deleted.length, 'delete');
  if (added.length) return added.length === 1 ? `add message ${quote(added[0])}` : count(added.length, 'add');
  const edited = c.messages.filter((at) => byId.has(at.message.id));
  if (edited.length === 1) {
    const { m, i } = byId.get(edited[0].message.id)!;
    const moved = edited[0].index !== i && same({ ...m }, { ...edited[0].message });
    return moved ? `move ${quote(m)}` : editOf(m, edited[0].message);
  }
  if (edited.length > 1) return c.order ? 'move messages' : `change to ${edited.length} messages`;
  if (c.participants) return 'participant change';
  if (c.theme) return 'look change';
  if (c.canvas) return 'canvas change';
  if (c.timing) return 'timing change';
  if (c.audio) return 'sound change';
  if (c.name) return 'rename';
  return 'last change';
}

/** The toast's text: "Undid: delete message “hey”". */
export function undoNotice(kind: 'undo' | 'redo', before: Message[], c: Changes): string {
  return `${kind === 'undo' ? 'Undid' : 'Redid'}: ${describeChange(kind, before, c)}`;
}

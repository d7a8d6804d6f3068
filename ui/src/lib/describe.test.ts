import { describe, expect, it } from 'vitest';
import type { Message } from './bindings/api';
import { describeChange, quote, undoNotice } from './describe';
import { msg, none } from './fixtures.test-helpers';

const list = [msg('a', 'hey'), msg('b', 'what’s up'), msg('c', 'ok')];

describe('undoNotice', () => {
  it('an undo that brings a message back took back its deletion', () => {
    const c = { ...none, messages: [{ index: 1, message: msg('x', 'gone one'), seekUs: 0 }] };
    expect(undoNotice('undo', list, c)).toBe('Undid: delete message “gone one”');
    expect(undoNotice('redo', list, c)).toBe('Redid: add message “gone one”');
  });

  it('an undo that removes a message took back its addition', () => {
    const c = { ...none, removedMessages: ['a'] };
    expect(undoNotice('undo', list, c)).toBe('Undid: add message “hey”');
    expect(undoNotice('redo', list, c)).toBe('Redid: delete message “hey”');
  });

  it('names text edits, reactions, moves and other changes', () => {
    const at = (index: number, message: Message) => ({ ...none, messages: [{ index, message, seekUs: 0 }] });
    expect(describeChange('undo', list, at(0, msg('a', 'hello')))).toBe('edit “hey”');
    expect(describeChange('undo', list, at(0, msg('a', 'hey', { reactions: [{ emoji: '🔥' }] })))).toBe('reaction on “hey”');
    expect(describeChange('undo', list, { ...at(2, msg('a', 'hey')), order: true })).toBe('move “hey”');
    expect(describeChange('undo', list, { ...none, theme: true })).toBe('look change');
    expect(describeChange('undo', list, { ...none, removedMessages: ['a', 'b'] })).toBe('add 2 messages');
  });

  it('cuts long quotes and names photos without text', () => {
    expect(quote(msg('a', 'x'.repeat(60)))).toBe(`“${'x'.repeat(27)}…”`);
    expect(quote(msg('p', '', { kind: 'image' }))).toBe('photo');
  });
});

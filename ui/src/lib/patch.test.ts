import { describe, expect, it } from 'vitest';
import type { Changes, Message } from './bindings/api';
import { added, patchMessages, touchesMoreThanMessages } from './patch';
import { msg, none } from './fixtures.test-helpers';

const ids = (ms: Message[] | null) => ms?.map((m) => m.id).join(',');

describe('patchMessages', () => {
  const list = ['a', 'b', 'c', 'd'].map((id) => msg(id));

  it('edits in place and keeps the other messages as they were', () => {
    const out = patchMessages(list, { ...none, messages: [{ index: 2, message: msg('c', 'new'), seekUs: 0 }] })!;
    expect(ids(out)).toBe('a,b,c,d');
    expect(out[2].text).toBe('new');
    expect(out[0]).toBe(list[0]);
    expect(out[3]).toBe(list[3]);
  });

  it('inserts, appends and deletes', () => {
    expect(ids(patchMessages(list, { ...none, order: true, messages: [{ index: 1, message: msg('x'), seekUs: 0 }] }))).toBe(
      'a,x,b,c,d',
    );
    expect(ids(patchMessages(list, { ...none, order: true, messages: [{ index: 4, message: msg('x'), seekUs: 0 }] }))).toBe(
      'a,b,c,d,x',
    );
    expect(ids(patchMessages(list, { ...none, order: true, removedMessages: ['b', 'd'] }))).toBe('a,c');
  });

  it('moves a message up or down', () => {
    expect(ids(patchMessages(list, { ...none, order: true, messages: [{ index: 0, message: msg('c'), seekUs: 0 }] }))).toBe(
      'c,a,b,d',
    );
    expect(ids(patchMessages(list, { ...none, order: true, messages: [{ index: 3, message: msg('a'), seekUs: 0 }] }))).toBe(
      'b,c,d,a',
    );
  });

  it('applies a batch that adds, moves and deletes at once', () => {
    const c: Changes = {
      ...none,
      order: true,
      removedMessages: ['b'],
      messages: [
        { index: 0, message: msg('d'), seekUs: 0 },
        { index: 2, message: msg('y'), seekUs: 0 },
        { index: 4, message: msg('z'), seekUs: 0 },
      ],
    };
    expect(ids(patchMessages(list, c))).toBe('d,a,y,c,z');
  });

  it('refuses changes that do not fit the list', () => {
    expect(patchMessages(list, { ...none, messages: [{ index: 9, message: msg('x'), seekUs: 0 }] })).toBeNull();
  });

  it('finds added messages and flags edits beyond the message list', () => {
    const c = { ...none, messages: [{ index: 1, message: msg('x'), seekUs: 7 }, { index: 2, message: msg('b'), seekUs: 9 }] };
    expect(added(list, c).map((at) => [at.message.id, at.seekUs])).toEqual([['x', 7]]);
    expect(touchesMoreThanMessages({ ...none, messages: [{ index: 0, message: msg('a'), seekUs: 0 }] })).toBe(false);
    expect(touchesMoreThanMessages({ ...none, canvas: true })).toBe(true);
  });
});

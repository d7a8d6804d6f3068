import { describe, expect, it } from 'vitest';
import type { Participant } from './bindings/api';
import { avatarColors, freshColor } from './colors';

const person = (id: string, name: string, extra: Partial<Participant> = {}): Participant =>
  ({ id, name, side: 'them', avatar: { initials: name[0] }, ...extra }) as Participant;

describe('avatarColors', () => {
  it('gives participants without a colour distinct, stable colours', () => {
    const all = ['sam-1', 'sara-2', 'sue-3', 'sid-4'].map((id) => person(id, 'S' + id));
    const a = avatarColors(all);
    expect(new Set(a.values()).size).toBe(4);
    expect(avatarColors(all)).toEqual(a);
  });

  it('keeps a participant’s own colour and steers others around it', () => {
    const all = [person('a', 'Ann', { avatar: { initials: 'A', color: '#0a84ff' } }), person('b', 'Al', { side: 'me' })];
    const a = avatarColors(all);
    expect(a.get('a')).toBe('#0a84ff');
    expect(a.get('b')).not.toBe('#0a84ff');
  });

  it('a new participant gets a colour nobody has', () => {
    const all = [person('x', 'Xa'), person('y', 'Xb')];
    expect([...avatarColors(all).values()]).not.toContain(freshColor(all));
  });
});

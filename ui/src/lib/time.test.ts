import { describe, expect, it } from 'vitest';
import { clamp, formatDuration, formatEta, formatTime, snapToFrame } from './time';
import { decodeFrame } from './frame';
import { matches, undoRedo } from './keys';

describe('time', () => {
  it('formats microseconds', () => {
    expect(formatTime(0)).toBe('0:00.0');
    expect(formatTime(65_300_000)).toBe('1:05.3');
    expect(formatDuration(42_400_000)).toBe('0:42');
    expect(formatEta(125.2)).toBe('2 min 6 s');
    expect(formatEta(null)).toBe('—');
  });
  it('snaps to frames without drifting', () => {
    expect(snapToFrame(1_000_000, 30)).toBe(1_000_000);
    expect(snapToFrame(1_040_000, 30)).toBe(1_033_333);
    expect(snapToFrame(33_334, 30)).toBe(33_333);
    expect(clamp(5, 0, 3)).toBe(3);
  });
});

describe('frames', () => {
  it('decodes the binary header and checks the length', () => {
    const buf = new ArrayBuffer(16 + 2 * 1 * 4);
    const v = new DataView(buf);
    v.setUint32(0, 2, true);
    v.setUint32(4, 1, true);
    v.setBigInt64(8, 1234n, true);
    new Uint8Array(buf, 16).set([1, 2, 3, 255, 4, 5, 6, 255]);
    const f = decodeFrame(buf);
    expect([f.width, f.height, f.timeUs]).toEqual([2, 1, 1234]);
    expect(Array.from(f.rgba)).toEqual([1, 2, 3, 255, 4, 5, 6, 255]);
    expect(() => decodeFrame(buf.slice(0, 20))).toThrow(/expected/);
  });
});

describe('keys', () => {
  const ev = (key: string, o: Partial<KeyboardEvent> = {}) =>
    ({ key, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...o }) as KeyboardEvent;
  it('maps undo and redo', () => {
    expect(undoRedo(ev('z', { ctrlKey: true }))).toBe('undo');
    expect(undoRedo(ev('Z', { ctrlKey: true, shiftKey: true }))).toBe('redo');
    expect(undoRedo(ev('y', { metaKey: true }))).toBe('redo');
    expect(undoRedo(ev('z'))).toBeNull();
    expect(matches(ev('Enter'), { key: 'enter' })).toBe(true);
  });
});

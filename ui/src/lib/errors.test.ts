import { describe, expect, it } from 'vitest';
import { BackendError } from './backend/types';
import { describeError } from './errors';

describe('describeError', () => {
  it('names the action, the reason and the remedy', () => {
    const e = new BackendError('FFMPEG_MISSING', 'ffmpeg was not found on PATH');
    expect(describeError(e, 'Could not export')).toBe(
      'Could not export: ffmpeg was not found on PATH. Install ffmpeg (on Debian or Ubuntu: sudo apt install ffmpeg), then export again.',
    );
  });

  it('turns a webview network failure into words, never "Load failed"', () => {
    const text = describeError(new TypeError('Load failed'), 'Could not add the photo');
    expect(text).not.toMatch(/load failed/i);
    expect(text).toMatch(/^Could not add the photo: the studio's engine did not answer\. Try again/);
  });

  it('keeps the message alone when there is no action or remedy', () => {
    expect(describeError(new BackendError('INVALID_OP', 'no message m9'))).toBe('no message m9');
  });
});

// Error text for people: what failed, why, and what to do (see toasts.svelte.ts).

import type { ErrorCode } from './bindings/api';

/** What to do about an error, by its stable code (a code the studio never sends fails to type-check). */
export const REMEDIES: Partial<Record<ErrorCode, string>> = {
  FFMPEG_MISSING: 'Install ffmpeg (on Debian or Ubuntu: sudo apt install ffmpeg), then export again.',
  FFMPEG_UNSUPPORTED: 'Install a newer ffmpeg (version 4 or later), then export again.',
  FFMPEG_FAILED: 'Try another format or size; the message above is what ffmpeg said.',
  BAD_IMAGE: 'Use a PNG, JPEG, WebP or GIF image.',
  AUDIO_UNSUPPORTED: 'Use an MP3, WAV, OGG, FLAC or M4A file.',
  AUDIO_CORRUPT: 'The file may be damaged: export it again from the app that made it.',
  AUDIO_UNREADABLE: 'The file may be damaged: export it again from the app that made it.',
  AUDIO_TOO_LARGE: 'Pick a shorter or smaller file.',
  AUDIO_TOO_LONG: 'Pick a shorter file, or trim it first.',
  LIBRARY_BUSY: 'Another Chatframe window is writing to the library: try again in a moment.',
  LIBRARY_TOO_NEW: 'This library was written by a newer Chatframe: update the app.',
  IO_ERROR: 'Check that the folder exists, has free space and that you may write to it.',
  WRITE_FAILED: 'Check that the folder exists, has free space and that you may write to it.',
  FILE_EXISTS: 'Choose another name, or confirm that the file may be replaced.',
  ALREADY_QUEUED: 'Wait for that export to finish, or choose another name.',
  REVEAL_UNAVAILABLE: 'Open the folder in your file manager yourself.',
  TRASHED: 'Restore it from the trash first.',
  INVALID_JSON: 'The file is not a Chatframe project: check that it is a .chatframe.json or .chatframe file.',
  INVALID_PROJECT: 'Fix the field named above in the file, then import it again.',
  UNSUPPORTED_VERSION: 'The file was made by a newer Chatframe: update the app to open it.',
};

/** A failed `fetch`/IPC call never reached the studio's engine (WebKit says "Load failed"). */
function unreachable(e: unknown): boolean {
  return e instanceof TypeError && /load failed|failed to fetch|networkerror/i.test(e.message);
}

export function describeError(e: unknown, what?: string): string {
  const err = e as { code?: string; message?: string };
  let why: string;
  let remedy: string;
  if (unreachable(e)) {
    why = "the studio's engine did not answer";
    remedy = 'Try again; if it keeps failing, restart Chatframe (your edits are saved).';
  } else {
    why = err.message ?? String(e);
    remedy = (err.code && REMEDIES[err.code as ErrorCode]) ?? '';
  }
  const head = what ? `${what}: ${why}` : why;
  return remedy ? `${head.replace(/\.?$/, '.')} ${remedy}` : head;
}


// Time is integer microseconds everywhere (as in Rust); these only format and convert.

export const SECOND = 1_000_000;

/** `1:05.3` style: minutes, seconds and tenths. */
export function formatTime(us: number): string {
  const tenths = Math.max(0, Math.floor(us / 100_000));
  const m = Math.floor(tenths / 600);
  const s = Math.floor((tenths % 600) / 10);
  return `${m}:${String(s).padStart(2, '0')}.${tenths % 10}`;
}

/** `0:42` for the library cards. */
export function formatDuration(us: number): string {
  const s = Math.round(us / SECOND);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** The frame time at or before `us` for a frame rate (so stepping lands on real frames). */
export function snapToFrame(us: number, fps: number): number {
  const frame = Math.floor((us * fps) / SECOND + 1e-9);
  return Math.round((frame * SECOND) / fps);
}

export function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

/** "2 min ago"-style age for library cards. */
export function formatAge(ms: number, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - ms) / 1000));
  if (s < 60) return 'just now';
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

/** Export ETA: `12 s`, `3 min 5 s`. */
export function formatEta(seconds: number | null | undefined): string {
  if (seconds == null || !isFinite(seconds)) return '—';
  const s = Math.ceil(seconds);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
}

// Shared helpers for the end-to-end suites: a throwaway library served by `chatframe-api`,
// assertions, ffprobe.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

export function assert(cond, message) {
  if (!cond) throw new Error(`assertion failed: ${message}`);
}

export function tempDir(prefix) {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Starts the API on a fresh library; resolves to { url, token, stop }. */
export async function startApi(bin, { ui } = {}) {
  const dir = tempDir('chatframe-e2e-');
  const args = ['--library', join(dir, 'library.sqlite'), '--export-dir', join(dir, 'exports')];
  if (ui) args.push('--ui', resolve(ui));
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise((ok, fail) => {
    const rl = createInterface({ input: child.stdout });
    rl.once('line', ok);
    child.once('exit', (code) => fail(new Error(`chatframe-api exited with ${code}`)));
  });
  const info = JSON.parse(line);
  return {
    ...info,
    dir,
    stop() {
      child.kill('SIGINT');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** ffprobe's view of a video: { codec, width, height, duration }. */
export function probe(path) {
  const out = execFileSync('ffprobe', [
    '-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name,width,height:format=duration',
    '-of', 'json', path,
  ]);
  const j = JSON.parse(out.toString());
  const s = j.streams[0];
  return { codec: s.codec_name, width: s.width, height: s.height, duration: Number(j.format.duration) };
}

export async function until(what, f, timeoutMs = 15000) {
  const start = Date.now();
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A hash of a canvas's pixels, computed in the page (compare before/after an edit). */
export const CANVAS_HASH = `(() => {
  const c = document.querySelector('[data-testid=preview]');
  if (!c || !c.width) return null;
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let h = 2166136261;
  for (let i = 0; i < d.length; i += 7) h = Math.imul(h ^ d[i], 16777619);
  return c.width + 'x' + c.height + ':' + (h >>> 0).toString(16);
})()`;

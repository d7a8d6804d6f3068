// Shared pieces of the studio benchmarks (bench.mjs in Chromium, bench-app.mjs in the real app).
import { execFileSync } from 'node:child_process';
import { readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tempDir } from './harness.mjs';

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
export const p90 = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)];
export const ms = (x) => (x === undefined ? 'n/a' : `${x.toFixed(1)} ms`);

/** The sample every edit/scrub figure uses (same project in Chromium and in the app). */
export const SAMPLE = 'bench-party';
export const STRESS = 'stress-5000';

/**
 * A samples folder: the bundled samples and the bench-party fixture (symlinked) plus the 5,000-message stress project from
 * assets/samples/gen_stress.py. Point CHATFRAME_SAMPLES at it.
 */
export function samplesWithStress() {
  const src = resolve('../assets/samples');
  const dir = tempDir('chatframe-bench-samples-');
  for (const f of readdirSync(src)) if (f.endsWith('.chatframe.json')) symlinkSync(join(src, f), join(dir, f));
  symlinkSync(join(src, 'media'), join(dir, 'media'));
  // The benchmark fixture is not a sample the library offers; the benchmarks open it as one.
  symlinkSync(resolve(`../assets/bench/${SAMPLE}.chatframe.json`), join(dir, `${SAMPLE}.chatframe.json`));
  writeFileSync(join(dir, `${STRESS}.chatframe.json`), execFileSync('python3', [join(src, 'gen_stress.py'), '5000']));
  return dir;
}

/**
 * In-page instrumentation on top of the UI's own metrics (`window.__chatframeMetrics`, pushed
 * right after `putImageData`): each frame also records when the next animation frame starts,
 * i.e. when the browser composites the new pixels: `onScreen` = the UI's figure + that wait.
 */
export const INSTRUMENT = `(() => {
  if (window.__bench) return true;
  const b = (window.__bench = { frames: [], pointerMoves: 0 });
  const m = window.__chatframeMetrics;
  if (!m) return false;
  for (const key of ['editToFrameMs', 'scrubFrameMs']) {
    m[key].push = function (v) {
      const t = performance.now();
      const f = { key, v, t, onScreen: null };
      b.frames.push(f);
      requestAnimationFrame(() => (f.onScreen = v + performance.now() - t));
      return Array.prototype.push.call(this, v);
    };
  }
  addEventListener('pointermove', () => b.pointerMoves++, true);
  return true;
})()`;

/** Clears the recorded frames (and the UI's metrics). */
export const RESET = `(() => {
  window.__bench.frames.length = 0;
  window.__bench.pointerMoves = 0;
  window.__chatframeMetrics.editToFrameMs.length = 0;
  window.__chatframeMetrics.scrubFrameMs.length = 0;
  return true;
})()`;

/** The recorded frames of one kind. */
export const FRAMES = (key) => `window.__bench.frames.filter((f) => f.key === '${key}')`;

/**
 * Opens the project card whose name contains `name` by a click made in the page and resolves to the ms from
 * that click to the first preview frame painted and to the next animation frame (on screen).
 */
export const OPEN_TO_FIRST_FRAME = (name) => `async () => {
  const card = [...document.querySelectorAll('[data-testid=project-card]')]
    .find((c) => c.querySelector('.name')?.textContent.includes(${JSON.stringify(name)}));
  if (!card) throw new Error('no card ' + ${JSON.stringify(name)});
  window.__bench.frames.length = 0;
  const t0 = performance.now();
  card.querySelector('.thumb').click();
  let frame = null;
  let list = null;
  for (;;) {
    const f = window.__bench.frames[0];
    if (!frame && f && f.onScreen !== null) frame = { painted: f.t - t0, onScreen: f.t - t0 + (f.onScreen - f.v) };
    if (list === null && document.querySelector('[data-testid=message]')) list = performance.now() - t0;
    if (frame && list !== null) return { ...frame, list };
    if (performance.now() - t0 > 30000) throw new Error('no frame and message list within 30 s');
    await new Promise((r) => setTimeout(r, 2));
  }
}`;

/**
 * Scrubbing: a drag across the timeline driven in the page, one pointer move per animation frame
 * (the rate a real mouse's moves reach a page) for `seconds`, so the input rate does not depend
 * on the driver; resolves to the frames painted meanwhile. `transport` ('ws' | 'ipc') is the
 * desktop app's `previewTransport` switch (ignored over HTTP).
 */
export const SCRUB = (seconds, transport = 'ws') => `async () => {
  localStorage.setItem('previewTransport', ${JSON.stringify(transport)});
  localStorage.setItem('previewWidth', '540');
  const track = document.querySelector('[data-testid=timeline]');
  const r = track.getBoundingClientRect();
  const y = r.top + r.height / 2;
  const ev = (type, x) => track.dispatchEvent(new PointerEvent(type, { pointerId: 1, pointerType: 'mouse',
    isPrimary: true, clientX: x, clientY: y, bubbles: true, button: 0, buttons: type === 'pointerup' ? 0 : 1 }));
  window.__bench.frames.length = 0;
  window.__bench.pointerMoves = 0;
  ev('pointerdown', r.left + 4);
  const t0 = performance.now();
  let i = 0;
  await new Promise((done) => requestAnimationFrame(function tick() {
    if (performance.now() - t0 > ${seconds * 1000}) return done();
    ev('pointermove', r.left + 4 + ((i++ * 13) % (r.width - 8)));
    requestAnimationFrame(tick);
  }));
  ev('pointerup', r.left + 4);
  const span = (performance.now() - t0) / 1000;
  localStorage.removeItem('previewTransport');
  localStorage.removeItem('previewWidth');
  await new Promise((r) => setTimeout(r, 300));
  const f = window.__bench.frames.filter((x) => x.key === 'scrubFrameMs');
  const c = document.querySelector('[data-testid=preview]');
  return { n: f.length, span, moves: window.__bench.pointerMoves, lat: f.map((x) => x.v), size: c.width + '×' + c.height };
}`;

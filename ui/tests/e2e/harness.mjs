// Shared helpers for the end-to-end suites: a throwaway library served by `chatframe-api`,
// assertions, ffprobe.
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

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
  // Without a desktop session, as on a server: nothing the API launches ("Show in folder")
  // can open a window, so the suite sees the same answers on every machine.
  const env = { ...process.env };
  for (const k of ['DISPLAY', 'WAYLAND_DISPLAY', 'DBUS_SESSION_BUS_ADDRESS']) delete env[k];
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'inherit'], env });
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
/** WebDriver script: how many messages the project has (the list renders only those in view). */
export const MESSAGE_COUNT = "return +document.querySelector('[data-testid=message-list]').dataset.count";

export const CANVAS_HASH = `(() => {
  const c = document.querySelector('[data-testid=preview]');
  if (!c || !c.width) return null;
  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let h = 2166136261;
  for (let i = 0; i < d.length; i += 7) h = Math.imul(h ^ d[i], 16777619);
  return c.width + 'x' + c.height + ':' + (h >>> 0).toString(16);
})()`;

/**
 * The real app under its own Xvfb display through tauri-driver (plain W3C WebDriver over HTTP).
 * `env` reaches the app (tauri-driver → WebKitWebDriver → app). Ports and display differ from
 * webdriver.mjs's defaults so the suites can run side by side. Resolves to
 * { session(), appPids(), stop() }; each `session()` launches the app once more.
 */
export async function startAppDriver({ app, env = {}, display = ':96', port = 4450 }) {
  const procs = [];
  const run = (cmd, args, extra = {}) => {
    const p = spawn(cmd, args, { stdio: 'ignore', env: { ...process.env, ...extra } });
    procs.push(p);
    return p;
  };
  run('Xvfb', [display, '-screen', '0', '1280x800x24', '-nolisten', 'tcp']);
  await new Promise((r) => setTimeout(r, 800));
  run('tauri-driver', ['--port', String(port), '--native-port', String(port + 1)], {
    DISPLAY: display,
    GDK_BACKEND: 'x11',
    WEBKIT_DISABLE_COMPOSITING_MODE: '1',
    WEBKIT_DISABLE_DMABUF_RENDERER: '1',
    LIBGL_ALWAYS_SOFTWARE: '1',
    ...env,
  });
  const base = `http://127.0.0.1:${port}`;
  await until('tauri-driver', () => fetch(`${base}/status`).then(() => true, () => false), 20000);
  const wd = async (method, path, body) => {
    const res = await fetch(base + path, {
      method,
      headers: { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const j = await res.json();
    if (!res.ok) throw new Error(`${method} ${path}: ${JSON.stringify(j.value ?? j).slice(0, 400)}`);
    return j.value;
  };
  const sessions = [];
  return {
    /** Launches the app; resolves to helpers bound to the new WebDriver session. */
    async session() {
      const requested = Date.now();
      const { sessionId } = await wd('POST', '/session', {
        capabilities: { alwaysMatch: { 'tauri:options': { application: app } } },
      });
      sessions.push(sessionId);
      const s = (p) => `/session/${sessionId}${p}`;
      const exec = (script, args = []) => wd('POST', s('/execute/sync'), { script, args });
      const find = async (css) => {
        const el = await wd('POST', s('/element'), { using: 'css selector', value: css });
        return el['element-6066-11e4-a452-ef4f61a8e4fc'] ?? el.ELEMENT ?? Object.values(el)[0];
      };
      const keys = (...values) =>
        wd('POST', s('/actions'), { actions: [{ type: 'key', id: 'kb', actions: values.flat() }] });
      return {
        id: sessionId,
        requested,
        exec,
        /** Runs `body` (an async function's source taking no arguments) and resolves to its value. */
        execAsync: (body, timeoutMs = 120000) =>
          wd('POST', s('/timeouts'), { script: timeoutMs }).then(() =>
            wd('POST', s('/execute/async'), {
              script: `const done = arguments[arguments.length - 1];
                (${body})().then((v) => done({ ok: v }), (e) => done({ err: String(e && e.stack || e) }));`,
              args: [],
            }).then((r) => {
              if (r.err) throw new Error(r.err);
              return r.ok;
            }),
          ),
        count: (css) => exec(`return document.querySelectorAll(arguments[0]).length`, [css]),
        click: async (css) => wd('POST', s(`/element/${await find(css)}/click`), {}),
        type: async (css, text) => wd('POST', s(`/element/${await find(css)}/value`), { text }),
        clear: async (css) => wd('POST', s(`/element/${await find(css)}/clear`), {}),
        /**
         * Picks a file in the `<input type=file>` at `css` as the OS dialog would: the bytes
         * (base64) become the input's file and its change event fires, so the app's own picker
         * code and transport carry it from there.
         */
        pick: (css, name, base64, mime) =>
          exec(
            `const [css, name, b64, mime] = arguments;
             const input = document.querySelector(css);
             if (!input) throw new Error('no file input ' + css);
             const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
             const dt = new DataTransfer();
             dt.items.add(new File([bytes], name, { type: mime }));
             input.files = dt.files;
             input.dispatchEvent(new Event('change', { bubbles: true }));`,
            [css, name, base64, mime],
          ),
        keys,
        actions: (actions) => wd('POST', s('/actions'), { actions }),
        /** The window as a PNG, base64. */
        screenshot: () => wd('GET', s('/screenshot')),
        close: () => wd('DELETE', s('')).catch(() => {}),
      };
    },
    /** Pids of running app processes whose environment names `marker` (e.g. its library path). */
    appPids(marker) {
      const pids = [];
      for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
        try {
          const exe = readlinkSync(`/proc/${pid}/exe`);
          if (exe !== resolve(app) && !exe.startsWith(resolve(app) + ' ')) continue;
          if (readFileSync(`/proc/${pid}/environ`).includes(marker)) pids.push(Number(pid));
        } catch {
          /* gone, or not ours to read */
        }
      }
      return pids;
    },
    async stop() {
      for (const id of sessions) await wd('DELETE', `/session/${id}`).catch(() => {});
      for (const p of procs.reverse()) p.kill();
    },
  };
}

/** WebDriver key chords: `chord([CTRL], 'z')`. */
export const KEY = { CTRL: '\uE009', SHIFT: '\uE008', ENTER: '\uE007', TAB: '\uE004', ESC: '\uE00C' };
export const chord = (mods, key) => [
  ...mods.map((m) => ({ type: 'keyDown', value: m })),
  { type: 'keyDown', value: key },
  { type: 'keyUp', value: key },
  ...[...mods].reverse().map((m) => ({ type: 'keyUp', value: m })),
];

/** Debian's Chromium, headless, for the suites that drive the UI in a browser (playwright-core
 * never downloads a browser of its own). */
export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * A screenshot function for a WebDriver session: `shot(name)` saves the window as `dir/name`
 * (nothing when `dir` is unset). WebKitWebDriver's snapshot sometimes hangs; then the X screen
 * of `display` is grabbed instead.
 */
export function screenshotter(screenshot, dir, display, settleMs = 0) {
  return async (name) => {
    if (!dir) return;
    mkdirSync(dir, { recursive: true });
    if (settleMs) await new Promise((r) => setTimeout(r, settleMs));
    try {
      const png = await Promise.race([
        screenshot(),
        new Promise((_, fail) => setTimeout(() => fail(new Error('screenshot timeout')), 20000)),
      ]);
      writeFileSync(join(dir, name), Buffer.from(png, 'base64'));
    } catch {
      execFileSync('ffmpeg', ['-y', '-loglevel', 'error', '-f', 'x11grab', '-video_size', '1280x800', '-i', display,
        '-frames:v', '1', join(dir, name)]);
    }
  };
}

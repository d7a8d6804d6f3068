// The real desktop app under Xvfb through tauri-driver + WebKitWebDriver (plain W3C WebDriver over
// HTTP, no client library): create a project, add a participant and ten messages by keyboard,
// see the preview change, undo/redo, export an MP4 and ffprobe it. With CHATFRAME_SCREENSHOTS set
// it also saves the library, editor and export dialog screenshots there.
import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CANVAS_HASH, KEY, assert, chord, probe, startAppDriver, tempDir, until } from './harness.mjs';

const app = process.env.CHATFRAME_APP_BIN;
assert(app, 'CHATFRAME_APP_BIN must point at the built app');
const shots = process.env.CHATFRAME_SCREENSHOTS;
const display = process.env.E2E_DISPLAY ?? ':95';
const port = Number(process.env.E2E_DRIVER_PORT ?? 4444);
const dir = tempDir('chatframe-app-e2e-');
const { CTRL, SHIFT, ENTER, TAB, ESC } = KEY;

let failed = false;
let driver;
try {
  driver = await startAppDriver({
    app,
    display,
    port,
    env: { CHATFRAME_LIBRARY: join(dir, 'library.sqlite'), CHATFRAME_EXPORT_DIR: join(dir, 'exports') },
  });
  const { exec, count, click, type, keys, screenshot } = await driver.session();
  const shot = async (name) => {
    if (!shots) return;
    mkdirSync(shots, { recursive: true });
    try {
      const png = await Promise.race([
        screenshot(),
        new Promise((_, fail) => setTimeout(() => fail(new Error('screenshot timeout')), 20000)),
      ]);
      writeFileSync(join(shots, name), Buffer.from(png, 'base64'));
    } catch {
      // WebKitWebDriver's snapshot sometimes hangs; grab the X screen instead.
      execFileSync('ffmpeg', ['-y', '-loglevel', 'error', '-f', 'x11grab', '-video_size', '1280x800', '-i', display,
        '-frames:v', '1', join(shots, name)]);
    }
  };

  // A sample first, so the library has a poster to show.
  await until('library', async () => (await count('[data-testid=new-menu]')) === 1, 20000);
  await click('[data-testid=new-menu]');
  await click('[data-testid^=sample-]');
  await until('editor', async () => (await count('[data-testid=composer]')) === 1, 20000);
  await click('[data-testid=back]');
  await until('library again', async () => (await count('[data-testid=project-card]')) === 1);

  await click('[data-testid=new-project]');
  await until('editor', async () => (await count('[data-testid=composer]')) === 1, 20000);
  await click('[data-testid=add-participant]');
  await until('participant', async () => (await count('[data-testid=participant]')) === 3);
  const before = await until('first frame', () => exec(`return ${CANVAS_HASH}`));
  const lines = ['hey', 'are you up?', 'it snowed 😮', 'no school!!', 'wait what', 'look outside',
    'omg', 'sledding at 3?', 'bring cocoa ☕', 'deal 👋'];
  for (const [i, text] of lines.entries()) {
    await type('[data-testid=composer]', text);
    await keys(chord([], ENTER));
    await until(`message ${i + 1}`, async () => (await count('[data-testid=message]')) === i + 1);
    await keys(chord([], TAB));
  }
  const after = await until('preview change', async () => {
    const h = await exec(`return ${CANVAS_HASH}`);
    return h !== before && h;
  });
  console.log(`preview changed: ${before} -> ${after}`);
  await keys(chord([CTRL], 'z'));
  await until('undo', async () => (await count('[data-testid=message]')) === 9);
  await keys(chord([CTRL, SHIFT], 'z'));
  await until('redo', async () => (await count('[data-testid=message]')) === 10);
  await exec(`document.querySelectorAll('[data-testid=message]')[7].click()`);
  await new Promise((r) => setTimeout(r, 600));
  await shot('editor.png');

  await keys(chord([CTRL], 'e'));
  await until('export dialog', async () => (await count('[data-testid=export-dialog]')) === 1);
  await exec(`const s = document.querySelector('[data-testid=export-preset]'); s.value = '9x16-720p'; s.dispatchEvent(new Event('change'));`);
  await click('[data-testid=export-start]');
  await until('export running', async () => (await count('[data-testid=export-job]')) === 1);
  await new Promise((r) => setTimeout(r, 1500));
  await shot('export.png');
  await until('export done', async () => {
    const st = await exec(`return document.querySelector('[data-testid=export-job]').dataset.state`);
    assert(st !== 'failed' && st !== 'cancelled', `export ${st}`);
    return st === 'done';
  }, 240000);
  const path = await exec(`return document.querySelector('[data-testid=export-job] .path').title`);
  const video = probe(path);
  console.log('exported', path, video);
  assert(video.codec === 'h264' && video.height === 1280 && video.duration > 5, 'a 720p H.264 MP4');
  await keys(chord([], ESC));
  await click('[data-testid=back]');
  await until('library', async () => (await count('[data-testid=project-card]')) === 2);
  await new Promise((r) => setTimeout(r, 1500));
  await shot('library.png');
  console.log('webdriver: studio app passed');
} catch (e) {
  failed = true;
  console.error(e);
} finally {
  await driver?.stop();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

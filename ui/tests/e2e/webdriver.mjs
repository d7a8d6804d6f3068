// The real desktop app under Xvfb through tauri-driver + WebKitWebDriver (plain W3C WebDriver over
// HTTP, no client library): create a project, add a participant and ten messages by keyboard,
// see the preview change, undo/redo, export an MP4 and ffprobe it; then add a photo message, a
// photo avatar and music through the app's own pickers, and export to a folder and file name of
// the user's choosing. With CHATFRAME_SCREENSHOTS set it also saves the library, editor and
// export dialog screenshots there.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { CANVAS_HASH, KEY, assert, chord, probe, startAppDriver, tempDir, until, screenshotter } from './harness.mjs';

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
  const { exec, count, click, type, clear, pick, keys, screenshot } = await driver.session();
  const shot = screenshotter(screenshot, shots, display);

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
  await until('export dialog closed', async () => (await count('[data-testid=export-dialog]')) === 0);

  // What a creator adds besides text, through the app's own pickers and its real transport
  // (IPC): only the OS file dialog is skipped, by handing the picker the file it would return.
  const errors = () => exec(`return [...document.querySelectorAll('.toast.error')].map((t) => t.textContent)`);
  const media = (f) => readFileSync(join('..', 'assets', 'samples', 'media', f)).toString('base64');
  await type('[data-testid=composer]', 'sunset from the pier');
  await pick('[data-testid=photo-file]', 'beach.png', media('beach.png'), 'image/png');
  await until('photo message', async () => (await count('[data-testid=message]')) === 11, 20000);
  assert((await errors()).length === 0, `no error adding a photo: ${await errors()}`);
  const photoRow = await exec(
    `return [...document.querySelectorAll('[data-testid=message]')].map((m) => m.textContent).find((t) => t.includes('sunset from the pier'))`,
  );
  assert(/photo/i.test(photoRow ?? ''), `a photo row with its caption: ${photoRow}`);

  await exec(`document.querySelectorAll('[data-testid=participant]')[1].click()`);
  await until('participant editor', async () => (await count('[data-testid=avatar-file]')) === 1);
  await pick('[data-testid=avatar-file]', 'avatar.png', media('avatar-maya.png'), 'image/png');
  await until('photo avatar', async () => (await count('[data-testid=participant] .photo')) >= 1, 20000);
  assert((await errors()).length === 0, `no error adding an avatar: ${await errors()}`);

  execFileSync('ffmpeg', ['-y', '-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=frequency=330:duration=20',
    '-c:a', 'libmp3lame', '-b:a', '96k', join(dir, 'music.mp3')]);
  await exec(`[...document.querySelectorAll('[role=tab]')].find((t) => /timing/i.test(t.textContent)).click()`);
  await until('sound panel', async () => (await count('[data-testid=music-file]')) === 1);
  await pick('[data-testid=music-file]', 'music.mp3', readFileSync(join(dir, 'music.mp3')).toString('base64'), 'audio/mpeg');
  await until('music added', async () => (await count('[data-testid=remove-music]')) === 1, 20000);
  assert((await errors()).length === 0, `no error adding music: ${await errors()}`);

  // An export placed and named by the user, with the music in it.
  const chosen = join(dir, 'chosen folder');
  await keys(chord([CTRL], 'e'));
  await until('export dialog', async () => (await count('[data-testid=export-dialog]')) === 1);
  await exec(`const s = document.querySelector('[data-testid=export-preset]'); s.value = '9x16-720p'; s.dispatchEvent(new Event('change'));`);
  await clear('[data-testid=export-folder]');
  await type('[data-testid=export-folder]', chosen);
  await clear('[data-testid=export-name]');
  await type('[data-testid=export-name]', 'Snow day final');
  await click('[data-testid=export-start]');
  const placed = join(chosen, 'Snow day final.mp4');
  // The queue also lists the first export, already done: follow this job by its path, or the
  // wait ends at once on a machine slow enough that the new job is not listed yet.
  await until('placed export done', async () => {
    const st = await exec(
      `return [...document.querySelectorAll('[data-testid=export-job]')].find((j) => j.dataset.path === arguments[0])?.dataset.state ?? 'not listed'`,
      [placed],
    );
    assert(st !== 'failed' && st !== 'cancelled', `export ${st}`);
    return st === 'done';
  }, 240000);
  assert(existsSync(placed), `the export is where the user put it: ${placed}`);
  const streams = execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'stream=codec_type', '-of', 'csv=p=0', placed]).toString();
  assert(streams.includes('audio') && streams.includes('video'), `picture and sound: ${streams}`);
  console.log('placed export with music:', placed);
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

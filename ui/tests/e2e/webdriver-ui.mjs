// The issue 8 UI fixes in the real desktop app (WebKitGTK under Xvfb, tauri-driver): the emoji /
// RTL / CJK sample with the bundled fonts, the reaction picker, a right-click on a message
// opening the app's context menu (and its Duplicate working), Enter alone alternating a
// two-person chat, the Save-as menu closing on Esc, and Ctrl+Q quitting the app. With
// CHATFRAME_SCREENSHOTS set it saves each screen there.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { KEY, MESSAGE_COUNT, assert, chord, startAppDriver, tempDir, until, screenshotter } from './harness.mjs';

const app = process.env.CHATFRAME_APP_BIN;
assert(app, 'CHATFRAME_APP_BIN must point at the built app');
const shots = process.env.CHATFRAME_SCREENSHOTS;
const display = process.env.E2E_DISPLAY ?? ':95';
const port = Number(process.env.E2E_DRIVER_PORT ?? 4444);
const dir = tempDir('chatframe-app-ui-');
const library = join(dir, 'library.sqlite');
const { CTRL, ENTER, ESC } = KEY;

let failed = false;
let driver;
try {
  driver = await startAppDriver({
    app,
    display,
    port,
    env: { CHATFRAME_LIBRARY: library, CHATFRAME_EXPORT_DIR: join(dir, 'exports') },
  });
  const { exec, count, click, type, keys, actions, screenshot } = await driver.session();
  const shot = screenshotter(screenshot, shots, display, 400);
  /** A real right-click (pointer button 2) at the middle of the first element matching `css`. */
  const rightClick = async (css) => {
    const [x, y] = await exec(
      `const r = document.querySelector(arguments[0]).getBoundingClientRect(); return [Math.round(r.left + r.width / 2), Math.round(r.top + r.height / 2)];`,
      [css],
    );
    await actions([{ type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' }, actions: [
      { type: 'pointerMove', origin: 'viewport', x, y },
      { type: 'pointerDown', button: 2 },
      { type: 'pointerUp', button: 2 },
    ] }]);
  };

  // The sample with emoji, Arabic, Hebrew, Chinese, Japanese and Korean.
  await until('library', async () => (await count('[data-testid=new-menu]')) === 1, 20000);
  await click('[data-testid=new-menu]');
  await shot('new-menu.png');
  await click('[data-testid=sample-rtl-cjk]');
  await until('editor', async () => (await count('[data-testid=message]')) > 3, 20000);
  await until('fonts', () => exec(`return document.fonts.status === 'loaded'`));
  const top = await exec(`return document.querySelector('[data-testid=message-list]').scrollTop`);
  assert(top === 0, `a project opens at its first message (scrollTop ${top})`);
  await shot('editor-rtl-cjk-emoji.png');

  // The reaction picker: six colour emoji from the bundled font.
  await exec(`document.querySelectorAll('[data-testid=message]')[1].click()`);
  await exec(`document.querySelectorAll('[data-testid=message]')[1].querySelector('[aria-label="Add reaction"]').click()`);
  await until('picker', async () => (await count('[data-testid=reaction-picker]')) === 1);
  await shot('reaction-picker.png');
  await keys(chord([], ESC));
  await until('picker closed by Esc', async () => (await count('[data-testid=reaction-picker]')) === 0);

  // Right-click on a message: the app's menu, and Duplicate adds a copy.
  const before = await exec(MESSAGE_COUNT);
  await rightClick('[data-testid=message-list] .slot:nth-of-type(4) [data-testid=message]');
  await until('context menu', async () => (await count('[data-testid=context-menu]')) === 1);
  await shot('message-context-menu.png');
  await click('[data-testid=ctx-duplicate]');
  await until('duplicated', async () => (await exec(MESSAGE_COUNT)) === before + 1);
  console.log(`webdriver-ui: right-click menu duplicated a message (${before} -> ${before + 1})`);

  // Save as closes on Esc and the editor stays open.
  await click('[data-testid=save-as]');
  await until('Save as open', async () => (await count('[data-testid=save-json]')) === 1);
  await keys(chord([], ESC));
  await until('Save as closed', async () => (await count('[data-testid=save-json]')) === 0);
  assert((await count('[data-testid=composer]')) === 1, 'Esc closed the menu, not the editor');

  // A blank two-person chat: Enter alone alternates.
  await click('[data-testid=back]');
  await until('library', async () => (await count('[data-testid=project-card]')) === 1);
  await rightClick('[data-testid=project-card]');
  await until('card menu', async () => (await count('[data-testid=context-menu]')) === 1);
  await shot('card-context-menu.png');
  await keys(chord([], ESC));
  await until('card menu closed by Esc', async () => (await count('[data-testid=context-menu]')) === 0);
  await until('New project', async () => (await count('[data-testid=new-project]')) === 1);
  await click('[data-testid=new-project]');
  await until('editor', async () => (await count('[data-testid=composer]')) === 1, 20000);
  assert(await exec(`return document.querySelector('[data-testid=alternate]').checked`), 'alternate is on for two people');
  for (const [i, text] of ['hey', 'hey you', 'coffee at 3', 'yes'].entries()) {
    await type('[data-testid=composer]', text);
    await keys(chord([], ENTER));
    await until(`message ${i + 1}`, async () => (await count('[data-testid=message]')) === i + 1);
  }
  const sides = await exec(`return [...document.querySelectorAll('[data-testid=message]')].map((e) => e.classList.contains('me') ? 'me' : 'them').join()`);
  assert(sides === 'me,them,me,them', `Enter alone alternates: ${sides}`);
  await keys(chord([CTRL], 'z'));
  await until('undo notice', async () => (await exec(`return document.querySelector('.toast.info')?.textContent ?? ''`)).startsWith('Undid'));
  await shot('alternate-and-undo-notice.png');
  console.log(`webdriver-ui: alternating senders ${sides}; undo notice shown`);

  // Ctrl+Q quits the app.
  const pids = driver.appPids(library);
  assert(pids.length >= 1, 'the app is running');
  // The session ends with the app, so the key request itself may fail.
  await keys(chord([CTRL], 'q')).catch(() => {});
  await until('the app exits', () => driver.appPids(library).length === 0, 15000);
  console.log('webdriver-ui: Ctrl+Q quit the app');
  console.log('webdriver-ui: passed');
} catch (e) {
  failed = true;
  console.error(e);
} finally {
  await driver?.stop();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

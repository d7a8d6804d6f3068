// Crash safety of the real desktop app (tauri-driver + WebKitWebDriver under Xvfb): edits made by
// keyboard, the header's "Saved" state reached, then `kill -9` of the app process; a relaunch on
// the same library must show exactly those edits (the same document, the same revision). Two
// rounds: the second edits the reopened project (including an undo) and kills it again.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { KEY, MESSAGE_COUNT, assert, chord, startAppDriver, tempDir, until } from './harness.mjs';

const app = process.env.CHATFRAME_APP_BIN;
assert(app, 'CHATFRAME_APP_BIN must point at the built app');
const dir = tempDir('chatframe-app-crash-');
const library = join(dir, 'library.sqlite');
const driver = await startAppDriver({
  app,
  env: { CHATFRAME_LIBRARY: library, CHATFRAME_EXPORT_DIR: join(dir, 'exports') },
  display: process.env.E2E_CRASH_DISPLAY ?? ':96',
  port: Number(process.env.E2E_CRASH_DRIVER_PORT ?? 4450),
});

/** The document as the app's backend holds it (through the same IPC the UI uses). */
const SNAPSHOT = `async () => {
  const invoke = window.__TAURI_INTERNALS__.invoke;
  const [p] = await invoke('list_projects', { query: '', trash: false });
  const s = await invoke('open_project', { id: p.id });
  return { id: p.id, revision: s.revision, project: s.project };
}`;

const texts = (snap) => snap.project.messages.map((m) => `${m.sender}:${m.text}`);

/** Types `lines` into the composer (Enter sends, Tab switches sender first when asked). */
async function write(w, lines, start) {
  for (const [i, [text, switchSender]] of lines.entries()) {
    if (switchSender) await w.keys(chord([], KEY.TAB));
    await w.type('[data-testid=composer]', text);
    await w.keys(chord([], KEY.ENTER));
    await until(`message ${text}`, async () => (await w.exec(MESSAGE_COUNT)) === start + i + 1);
  }
}

async function savedThenKill(w) {
  await until('"Saved"', () =>
    w.exec(`const e = document.querySelector('[data-testid=save-state]');
      return e && e.dataset.state === 'saved' && e.textContent.includes('Saved');`),
  );
  const snap = await w.execAsync(SNAPSHOT);
  const pids = driver.appPids(library);
  assert(pids.length === 1, `one app process on this library (found ${pids})`);
  process.kill(pids[0], 'SIGKILL');
  await until('app gone', () => driver.appPids(library).length === 0, 5000);
  await w.close();
  return snap;
}

async function relaunchAndCheck(expected, what) {
  const w = await driver.session();
  await until('library', async () => (await w.count('[data-testid=project-card]')) === 1, 30000);
  const snap = await w.execAsync(SNAPSHOT);
  assert(snap.revision === expected.revision, `${what}: revision ${snap.revision}, expected ${expected.revision}`);
  assert(
    JSON.stringify(snap.project) === JSON.stringify(expected.project),
    `${what}: the document differs:\n${JSON.stringify(texts(snap))}\nvs\n${JSON.stringify(texts(expected))}`,
  );
  await w.click('[data-testid=project-card] .thumb');
  await until('editor', async () => (await w.count('[data-testid=composer]')) === 1, 20000);
  const shown = await until('messages shown', async () => {
    const n = await w.exec(MESSAGE_COUNT);
    return n === expected.project.messages.length && n;
  });
  console.log(`${what}: revision ${snap.revision}, ${shown} messages, identical document`);
  return w;
}

let failed = false;
try {
  // Round 1: a new project, four messages by keyboard (two senders), kill once "Saved".
  let w = await driver.session();
  await until('library', async () => (await w.count('[data-testid=new-project]')) === 1, 30000);
  await w.click('[data-testid=new-project]');
  await until('editor', async () => (await w.count('[data-testid=composer]')) === 1, 20000);
  await write(w, [['are you awake?', false], ['yes why', true], ['look outside ❄️', true], ['SNOW DAY', true]], 0);
  const first = await savedThenKill(w);
  assert(
    JSON.stringify(texts(first).map((t) => t.split(':')[1])) ===
      JSON.stringify(['are you awake?', 'yes why', 'look outside ❄️', 'SNOW DAY']),
    `round 1 typed what the backend holds: ${texts(first)}`,
  );

  // Round 2: reopen, check, then more edits (one undone) and kill again.
  w = await relaunchAndCheck(first, 'after kill 1');
  await write(w, [['sledding at 3?', false], ['typo message', true]], first.project.messages.length);
  // The composer is empty and focused: Ctrl+Z undoes the last project edit.
  await w.keys(chord([KEY.CTRL], 'z'));
  const n = first.project.messages.length + 1;
  await until('undo', async () => (await w.exec(MESSAGE_COUNT)) === n);
  const second = await savedThenKill(w);
  assert(second.revision === first.revision + 3, `two adds and an undo: revision ${second.revision}`);
  assert(texts(second).at(-1).endsWith(':sledding at 3?'), `the undone message is gone: ${texts(second)}`);
  w = await relaunchAndCheck(second, 'after kill 2');
  await w.close();
  console.log('webdriver-crash: kill -9 of the app lost no saved edit');
} catch (e) {
  failed = true;
  console.error(e);
} finally {
  await driver.stop();
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

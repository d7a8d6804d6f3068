// The studio UI in Debian's Chromium against `chatframe-api` (the HTTP backend): create a
// project, write ten messages by keyboard, watch the preview change, undo/redo, export an MP4 and
// check it with ffprobe, then library chores (rename, duplicate, trash, restore, search).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CANVAS_HASH, assert, launchChromium, probe, startApi, tempDir, until } from './harness.mjs';

const bin = process.env.CHATFRAME_API_BIN;
assert(bin, 'CHATFRAME_API_BIN must point at the chatframe-api binary');
const api = await startApi(bin, { ui: 'dist' });
const browser = await launchChromium();
let failed = false;
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  page.on('console', (m) => m.type() === 'error' && console.error('console:', m.text()));
  await page.goto(`${api.url}?token=${api.token}`);
  await page.getByTestId('new-project').click();
  const composer = page.getByTestId('composer');
  await composer.waitFor();
  await until('composer focus', () => composer.evaluate((el) => el === document.activeElement));

  const before = await until('first frame', () => page.evaluate(CANVAS_HASH));
  const lines = ['hey', 'hi! what’s up?', 'did you see the snow 😮', 'YES', 'school is closed!!', 'no way',
    'sledding at 3?', 'bring hot chocolate ☕', 'deal', 'see you there 👋'];
  for (const [i, text] of lines.entries()) {
    await composer.fill(text);
    await composer.press('Enter');
    await until(`message ${i + 1}`, async () => (await page.getByTestId('message').count()) === i + 1);
    // "Alternate automatically" (on for two people) hands the next line to the other person.
  }
  const senders = await page.getByTestId('message').evaluateAll((els) => els.map((e) => e.classList.contains('me')));
  assert(senders.filter(Boolean).length === 5, `alternating senders, got ${senders}`);
  const after = await until('a new frame', async () => {
    const h = await page.evaluate(CANVAS_HASH);
    return h !== before && h;
  });
  console.log(`preview changed: ${before} -> ${after}`);

  await page.locator('body').click({ position: { x: 5, y: 790 } });
  await composer.focus();
  await page.keyboard.press('Control+z');
  await until('undo', async () => (await page.getByTestId('message').count()) === 9);
  await page.keyboard.press('Control+Shift+z');
  await until('redo', async () => (await page.getByTestId('message').count()) === 10);

  // Select a message: the preview seeks to it.
  await page.getByTestId('message').nth(2).click();
  await until('seek', async () => (await page.getByTestId('time').textContent()) !== '0:00.0');

  // Playback: Space plays from the play head, the time advances on the transport's clock (the
  // audio device's, or the monotonic clock here where there is no sound card), the picture
  // follows at the project's frame rate, and the play button pauses.
  const seconds = async () => {
    const [m, s] = (await page.getByTestId('time').textContent()).split(' ')[0].split(':');
    return Number(m) * 60 + Number(s);
  };
  const [{ id: projectId }] = await (await fetch(`${api.url}api/projects`, { headers: { Authorization: `Bearer ${api.token}` } })).json();
  const transport = async () =>
    (await fetch(`${api.url}api/projects/${projectId}/playback`, { headers: { Authorization: `Bearer ${api.token}` } })).json();
  await page.getByTestId('timeline').focus();
  await page.keyboard.press('Home');
  await until('rewound', async () => (await seconds()) === 0);
  const still = await until('frame at 0', async () => (await page.getByTestId('preview').getAttribute('data-time')) === '0' && page.evaluate(CANVAS_HASH));
  await page.keyboard.press(' ');
  await until('playing', async () => (await page.getByTestId('play').getAttribute('data-state')) === 'playing');
  const playing = await until('the backend plays', async () => {
    const t = await transport();
    return t.playing && t.project === projectId && t;
  });
  console.log(`playback: silent=${playing.silent} (${playing.silentReason ?? 'sound'})`);
  await until('time advances', async () => (await seconds()) >= 1.5, 10000);
  await until('the picture moves', async () => (await page.evaluate(CANVAS_HASH)) !== still);
  const frameTimes = new Set();
  for (let i = 0; i < 10; i++) {
    frameTimes.add(Number(await page.getByTestId('preview').getAttribute('data-time')));
    await new Promise((r) => setTimeout(r, 50));
  }
  for (const t of frameTimes) assert(Math.abs((t * 30) / 1e6 - Math.round((t * 30) / 1e6)) < 0.01, `frame time ${t} is on the 30 fps grid`);
  assert(frameTimes.size >= 4, `frames follow the clock: ${[...frameTimes]}`);
  if (process.env.CHATFRAME_SHOTS) await page.screenshot({ path: `${process.env.CHATFRAME_SHOTS}/playing.png` });
  await page.getByTestId('play').click();
  await until('paused', async () => (await page.getByTestId('play').getAttribute('data-state')) === 'paused');
  const pausedAt = await seconds();
  const paused = await transport();
  assert(!paused.playing, 'the backend paused');
  await new Promise((r) => setTimeout(r, 600));
  assert((await seconds()) === pausedAt, 'time holds while paused');
  assert(Math.abs(paused.positionUs / 1e6 - pausedAt) < 0.35, `the play head shows the transport's position: ${paused.positionUs} vs ${pausedAt}`);
  console.log(`playback: played to ${pausedAt} s through ${frameTimes.size} distinct frames in 0.5 s, paused`);

  await page.keyboard.press('Control+e');
  await page.getByTestId('export-dialog').waitFor();
  await page.getByTestId('export-format').selectOption('mp4');
  await page.getByTestId('export-preset').selectOption('9x16-720p');
  await page.getByTestId('export-start').click();
  const done = await until(
    'export',
    async () => {
      const s = await page.getByTestId('export-job').first().getAttribute('data-state');
      assert(s !== 'failed' && s !== 'cancelled', `export ${s}`);
      return s === 'done';
    },
    180000,
  );
  assert(done, 'export done');
  const jobs = await (await fetch(`${api.url}api/exports`, { headers: { Authorization: `Bearer ${api.token}` } })).json();
  const video = probe(jobs[0].path);
  console.log('exported', jobs[0].path, video);
  assert(video.codec === 'h264' && video.width === 720 && video.height === 1280 && video.duration > 5, 'mp4 as asked');

  // Placing an export: a folder and a name of the user's choosing, the folder remembered, an
  // existing file replaced only when the user says so, and "Show in folder" saying why it
  // cannot where there is no file manager (this headless machine has none).
  const placed = tempDir('chatframe-placed-');
  await page.getByTestId('export-format').selectOption('gif');
  await page.getByTestId('export-folder').fill(join(placed, 'Shorts'));
  await page.getByTestId('export-name').fill('Snow day cut');
  await page.getByTestId('export-start').click();
  const gif = join(placed, 'Shorts', 'Snow day cut.gif');
  await until('export to the chosen folder', async () => {
    const s = await page.getByTestId('export-job').first().getAttribute('data-state');
    assert(s !== 'failed' && s !== 'cancelled', `export ${s}`);
    return s === 'done' && existsSync(gif);
  }, 180000);
  assert(probe(gif).codec === 'gif', 'a GIF named and placed as asked');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+e');
  await page.getByTestId('export-dialog').waitFor();
  await until('the folder is remembered', async () => (await page.getByTestId('export-folder').inputValue()) === join(placed, 'Shorts'));
  await page.getByTestId('export-format').selectOption('gif');
  await page.getByTestId('export-name').fill('Snow day cut');
  await page.getByTestId('export-start').click();
  await page.getByTestId('export-replace').waitFor();
  const jobsBefore = await page.getByTestId('export-job').count();
  await page.keyboard.press('Escape');
  assert((await page.getByTestId('export-replace').count()) === 0, 'Esc keeps the existing file');
  assert((await page.getByTestId('export-job').count()) === jobsBefore, 'no export was queued over the existing file');
  await page.getByTestId('export-reveal').first().click();
  const toast = await until('reveal says why', async () => (await page.locator('.toast').allTextContents()).find((t) => t.includes('Could not show the file')));
  assert(toast.includes(gif) || toast.includes(join(placed, 'Shorts')), `the toast says where the file is: ${toast}`);
  console.log('export placement:', gif, '|', toast);
  await page.keyboard.press('Escape');

  // Library chores.
  await page.getByTestId('back').click();
  await page.getByTestId('project-card').first().waitFor();
  const card = page.getByTestId('project-card').first();
  await card.focus();
  await page.keyboard.press('F2');
  await page.keyboard.type('Snow day');
  await page.keyboard.press('Enter');
  await until('rename', async () => (await card.textContent()).includes('Snow day'));
  await card.focus();
  await page.keyboard.press('Control+d');
  await until('duplicate', async () => (await page.getByTestId('project-card').count()) === 2);
  await page.getByTestId('project-card').first().focus();
  await page.keyboard.press('Delete');
  await until('trash', async () => (await page.getByTestId('project-card').count()) === 1);
  await page.getByTestId('trash-toggle').click();
  await page.getByTestId('restore').first().click();
  await page.getByTestId('trash-toggle').click();
  await until('restore', async () => (await page.getByTestId('project-card').count()) === 2);
  await page.getByTestId('search').fill('chocolate');
  await until('search', async () => (await page.getByTestId('project-card').count()) === 2);
  await page.getByTestId('search').fill('nothing-like-this');
  await until('search miss', async () => (await page.getByTestId('project-card').count()) === 0);
  // Project files: import a sample, refuse a broken file (the toast names the JSON path and the
  // library is unchanged), download a bundle from a card and import it back.
  await page.getByTestId('search').fill('');
  await until('all projects', async () => (await page.getByTestId('project-card').count()) === 2);
  await page.getByTestId('import-file').setInputFiles('../assets/samples/rtl-cjk.chatframe.json');
  await until('imported', async () => (await page.getByTestId('project-card').count()) === 3);
  await until('import notice', async () => (await page.locator('.toast.info').allTextContents()).some((t) => t.includes('Imported')));
  const cardNames = async () => (await page.getByTestId('project-card').allTextContents()).join('|');
  assert((await cardNames()).includes('Around the world'), 'the imported project is in the library');

  const sample = JSON.parse(readFileSync('../assets/samples/rtl-cjk.chatframe.json', 'utf8'));
  sample.messages[2].sender = 'nobody';
  const libraryBefore = await cardNames();
  await page.getByTestId('import-file').setInputFiles({
    name: 'broken.chatframe.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(sample)),
  });
  const problem = await until('import error', async () =>
    (await page.locator('.toast.error').allTextContents()).find((t) => t.includes('broken.chatframe.json')),
  );
  console.log('broken file:', problem);
  assert(problem.includes('messages[2].sender'), `the error names the JSON path: ${problem}`);
  await new Promise((r) => setTimeout(r, 300));
  assert((await cardNames()) === libraryBefore, 'a broken file changes nothing');

  const imported = page.getByTestId('project-card').filter({ hasText: 'Around the world' });
  await imported.hover();
  await imported.getByTestId('card-save').click();
  const [download] = await Promise.all([page.waitForEvent('download'), imported.getByTestId('save-bundle').click()]);
  const bundlePath = join(api.dir, download.suggestedFilename());
  await download.saveAs(bundlePath);
  const zip = readFileSync(bundlePath);
  console.log(`downloaded ${download.suggestedFilename()} (${zip.length} bytes)`);
  assert(download.suggestedFilename() === 'Around the world (six languages).chatframe', 'named after the project');
  assert(zip.subarray(0, 4).toString('latin1') === 'PK\x03\x04', 'a zip bundle');
  await page.getByTestId('import-file').setInputFiles(bundlePath);
  await until('re-imported', async () => (await page.getByTestId('project-card').count()) === 4);
  const twins = await page.getByTestId('project-card').filter({ hasText: 'Around the world' }).count();
  assert(twins === 2, `the bundle came back as a second copy (${twins})`);
  if (process.env.CHATFRAME_SHOTS) await page.screenshot({ path: `${process.env.CHATFRAME_SHOTS}/library.png` });

  // The editor saves the document alone.
  await imported.first().dblclick();
  await page.getByTestId('save-as').click();
  const [json] = await Promise.all([page.waitForEvent('download'), page.getByTestId('save-json').click()]);
  const doc = JSON.parse(readFileSync(await json.path(), 'utf8'));
  assert(json.suggestedFilename().endsWith('.chatframe.json') && doc.messages.length === sample.messages.length, 'document saved');
  console.log('playwright: project files passed');

  // A 5,000-message chat: only the rows in view are in the DOM, the list scrolls to any message,
  // and an edit at the end patches the list without reloading it.
  await page.getByTestId('back').click();
  const long = execFileSync('python3', ['../assets/samples/gen_stress.py', '5000']);
  await page.getByTestId('import-file').setInputFiles({ name: 'long.chatframe.json', mimeType: 'application/json', buffer: long });
  const longCard = page.getByTestId('project-card').filter({ hasText: JSON.parse(long).name });
  await until('long chat imported', async () => (await longCard.count()) === 1);
  await longCard.dblclick();
  const list = page.getByTestId('message-list');
  await until('long chat open', async () => (await list.getAttribute('data-count')) === '5000');
  const rendered = await page.getByTestId('message').count();
  assert(rendered > 5 && rendered < 150, `rows in the DOM: ${rendered} of 5000`);
  await list.evaluate((el) => (el.scrollTop = el.scrollHeight));
  await until('last row rendered', async () => {
    await list.evaluate((el) => (el.scrollTop = el.scrollHeight));
    return (await page.getByTestId('message').last().textContent()).includes(JSON.parse(long).messages[4999].text);
  });
  await page.getByTestId('message').last().click();
  if (process.env.CHATFRAME_SHOTS) await page.screenshot({ path: `${process.env.CHATFRAME_SHOTS}/long-chat.png` });
  await until('seek to the last message', async () => (await page.getByTestId('time').textContent()).startsWith('70:'));
  await page.keyboard.press('Delete');
  await until('deleted', async () => (await list.getAttribute('data-count')) === '4999');
  assert((await page.getByTestId('message').count()) < 150, 'still windowed after an edit');
  console.log(`playwright: long chat passed (${rendered} rows rendered of 5000)`);
  console.log('playwright: studio UI passed');
} catch (e) {
  failed = true;
  console.error(e);
} finally {
  await browser.close();
  api.stop();
}
process.exit(failed ? 1 : 0);

// How the studio UI behaves for a new user (issue 8), in Debian's Chromium against
// `chatframe-api`: Enter alone alternates a two-person chat (and the choice is remembered),
// avatars differ, the participant editor closes, menus close on Esc and outside presses, the
// app's context menus replace the webview's on messages and cards and their actions work,
// undo says what it undid, New project cannot create twice, a drag from a timeline marker
// scrubs, and an opened project shows its first message.
import { execFileSync } from 'node:child_process';
import { assert, launchChromium, startApi, until } from './harness.mjs';

const bin = process.env.CHATFRAME_API_BIN;
assert(bin, 'CHATFRAME_API_BIN must point at the chatframe-api binary');
const api = await startApi(bin, { ui: 'dist' });
const browser = await launchChromium();
const projects = async () =>
  (await fetch(`${api.url}api/projects`, { headers: { Authorization: `Bearer ${api.token}` } })).json();
let failed = false;
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.goto(`${api.url}?token=${api.token}`);
  const messages = page.getByTestId('message');
  const texts = () => messages.evaluateAll((els) => els.map((e) => e.querySelector('.bubble')?.textContent.trim()));

  // New project: a double click still makes one project, and the button says it is busy.
  await page.getByTestId('new-project').dblclick();
  const composer = page.getByTestId('composer');
  await composer.waitFor();
  assert((await projects()).length === 1, `one project from a double click, got ${(await projects()).length}`);
  console.log('ui-behaviour: New project creates once');

  // Alternate automatically: on for two people, Enter alone hands the turn over.
  const alternate = page.getByTestId('alternate');
  assert(await alternate.isChecked(), 'alternate is on by default in a two-person chat');
  for (const [i, text] of ['hey', 'hi!', 'how are you?', 'good'].entries()) {
    await composer.fill(text);
    await composer.press('Enter');
    await until(`message ${i + 1}`, async () => (await messages.count()) === i + 1);
  }
  const sides = await messages.evaluateAll((els) => els.map((e) => (e.classList.contains('me') ? 'me' : 'them')));
  assert(sides.join() === 'me,them,me,them', `Enter alone alternates: ${sides}`);
  await alternate.uncheck();
  await composer.fill('still me?');
  await composer.press('Enter');
  await until('message 5', async () => (await messages.count()) === 5);
  await composer.fill('yes');
  await composer.press('Enter');
  await until('message 6', async () => (await messages.count()) === 6);
  const last2 = (await messages.evaluateAll((els) => els.map((e) => e.classList.contains('me')))).slice(-2);
  assert(last2[0] === last2[1], `without alternate the sender stays: ${last2}`);
  console.log(`ui-behaviour: alternate ${sides}, then the sender stays when it is off`);

  // Undo says what it undid, redo what it redid.
  await page.locator('body').click({ position: { x: 640, y: 400 } });
  await page.keyboard.press('Control+z');
  const undid = await until('undo notice', async () =>
    (await page.locator('.toast.info').allTextContents()).find((t) => t.startsWith('Undid')),
  );
  assert(undid === 'Undid: add message “yes”', `undo notice: ${undid}`);
  await page.keyboard.press('Control+Shift+z');
  const redid = await until('redo notice', async () =>
    (await page.locator('.toast.info').allTextContents()).find((t) => t.startsWith('Redid')),
  );
  assert(redid === 'Redid: add message “yes”', `redo notice: ${redid}`);
  console.log(`ui-behaviour: "${undid}", "${redid}"`);

  // The message context menu: right-click opens the app's menu, its actions edit the chat.
  const second = messages.nth(1);
  const rightClick = await second.evaluate((el) => {
    const e = new MouseEvent('contextmenu', { bubbles: true, cancelable: true, clientX: 100, clientY: 100 });
    el.dispatchEvent(e);
    return e.defaultPrevented;
  });
  assert(rightClick, 'the webview menu is suppressed on a message');
  await page.keyboard.press('Escape');
  await second.click({ button: 'right' });
  const menu = page.getByTestId('context-menu');
  await menu.waitFor();
  const items = await menu.getByRole('menuitem').allTextContents();
  assert(['Edit text', 'React…', 'Duplicate', 'Move up', 'Move down', 'Delete'].every((l) => items.some((t) => t.includes(l))), `menu items: ${items}`);
  await page.getByTestId('ctx-duplicate').click();
  await until('duplicated', async () => (await messages.count()) === 7);
  let now = await texts();
  assert(now[1] === 'hi!' && now[2] === 'hi!', `duplicate lands after the original: ${now}`);
  await messages.nth(2).click({ button: 'right' });
  await page.getByTestId('ctx-down').click();
  await until('moved down', async () => (await texts())[3] === 'hi!' && (await texts())[2] === 'how are you?');
  await messages.nth(3).click({ button: 'right' });
  await page.getByTestId('ctx-delete').click();
  await until('deleted', async () => (await messages.count()) === 6);
  await messages.nth(0).click({ button: 'right' });
  assert(await page.getByTestId('ctx-up').isDisabled(), 'the first message cannot move up');
  await page.getByTestId('ctx-react').click();
  await page.getByTestId('reaction-picker').getByRole('menuitem').first().click();
  await until('reaction', async () => (await messages.nth(0).locator('.reaction').count()) === 1);
  // Outside a text field the webview's menu never shows; inside one it stays for copy/paste.
  const prevented = await page.evaluate(() => {
    const fire = (el) => {
      const e = new MouseEvent('contextmenu', { bubbles: true, cancelable: true });
      el.dispatchEvent(e);
      return e.defaultPrevented;
    };
    return { preview: fire(document.querySelector('[data-testid=preview]')), field: fire(document.querySelector('[data-testid=composer]')) };
  });
  assert(prevented.preview && !prevented.field, `default menu: ${JSON.stringify(prevented)}`);
  console.log(`ui-behaviour: message context menu (${items.length} items) duplicates, moves, deletes, reacts`);

  // Menus close on Esc (without leaving the editor) and on a press outside.
  await page.getByTestId('save-as').click();
  await page.getByRole('menuitem', { name: 'Save as .chatframe.json' }).waitFor();
  await page.keyboard.press('Escape');
  await until('Save as closed by Esc', async () => (await page.getByTestId('save-json').count()) === 0);
  assert((await composer.count()) === 1, 'Esc closed the menu, not the editor');
  await page.getByTestId('save-as').click();
  await page.getByTestId('save-json').waitFor();
  await page.getByTestId('preview').click();
  await until('Save as closed by an outside click', async () => (await page.getByTestId('save-json').count()) === 0);
  console.log('ui-behaviour: Save as closes on Esc and on an outside click');

  // People: same initials, different colours; the editor closes again.
  for (let i = 0; i < 2; i++) {
    await page.getByTestId('add-participant').click();
    await page.getByTestId('participant-name').fill(i ? 'Sara' : 'Sam');
    await page.getByTestId('participant-name').press('Enter');
    await until('editor closed after naming', async () => (await page.getByTestId('participant-name').count()) === 0);
  }
  const colours = await page.getByTestId('participant').evaluateAll((els) => els.map((e) => e.querySelector('.av').style.background));
  assert(new Set(colours).size === colours.length, `every avatar has its own colour: ${colours}`);
  await page.getByTestId('participant').first().click();
  await page.getByTestId('participant-name').waitFor();
  await page.getByTestId('message-list').click({ position: { x: 20, y: 5 } });
  await until('editor closed by a click elsewhere', async () => (await page.getByTestId('participant-name').count()) === 0);
  console.log(`ui-behaviour: ${colours.length} people, distinct colours; the participant editor closes`);

  // The alternate choice is the project's: off after reopening (four people now, and it was turned off).
  await page.getByTestId('back').click();
  await page.getByTestId('project-card').first().dblclick();
  await composer.waitFor();
  assert(!(await page.getByTestId('alternate').isChecked()), 'alternate stays off for this project');

  // A drag that starts on a timeline marker scrubs; a click on one selects its message.
  const marker = page.getByTestId('marker').nth(1);
  await marker.waitFor();
  const box = await marker.boundingBox();
  const timeline = await page.getByTestId('timeline').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(timeline.x + timeline.width * 0.9, box.y + box.height / 2, { steps: 6 });
  const scrubbed = Number(await page.getByTestId('timeline').getAttribute('aria-valuenow'));
  const duration = Number(await page.getByTestId('timeline').getAttribute('aria-valuemax'));
  await page.mouse.up();
  assert(Math.abs(scrubbed / duration - 0.9) < 0.03, `dragging from a marker scrubs to 90%: ${scrubbed} of ${duration}`);
  await page.getByTestId('marker').nth(2).click();
  await until('marker click selects', async () => (await page.locator('[data-testid=message].selected').count()) === 1);
  console.log(`ui-behaviour: drag from a marker scrubbed to ${(scrubbed / 1e6).toFixed(2)} s of ${(duration / 1e6).toFixed(2)} s`);

  // Library: the card's context menu (rename, duplicate), its Save menu closes on Esc, and a
  // long chat opens at its first message.
  await page.getByTestId('back').click();
  const card = page.getByTestId('project-card').first();
  await card.click({ button: 'right' });
  await page.getByTestId('ctx-duplicate').click();
  await until('card duplicated', async () => (await page.getByTestId('project-card').count()) === 2);
  await card.click({ button: 'right' });
  await page.getByTestId('ctx-rename').click();
  await page.keyboard.press('Control+a');
  await page.keyboard.type('Renamed from the menu');
  await page.keyboard.press('Enter');
  await until('renamed', async () => (await page.getByTestId('project-card').allTextContents()).some((t) => t.includes('Renamed from the menu')));
  await card.hover();
  await card.getByTestId('card-save').click();
  await card.getByTestId('save-bundle').waitFor();
  await page.keyboard.press('Escape');
  await until('card Save menu closed by Esc', async () => (await card.getByTestId('save-bundle').count()) === 0);
  await page.getByTestId('new-menu').click();
  await page.getByRole('menuitem', { name: 'Starter conversation' }).waitFor();
  await page.locator('main h1').click();
  await until('New menu closed by an outside click', async () => (await page.getByRole('menuitem', { name: 'Starter conversation' }).count()) === 0);

  const long = execFileSync('python3', ['../assets/samples/gen_stress.py', '300']);
  await page.getByTestId('import-file').setInputFiles({ name: 'long.chatframe.json', mimeType: 'application/json', buffer: long });
  const longCard = page.getByTestId('project-card').filter({ hasText: JSON.parse(long).name });
  await until('long chat imported', async () => (await longCard.count()) === 1);
  await longCard.dblclick();
  const list = page.getByTestId('message-list');
  await until('long chat open', async () => (await list.getAttribute('data-count')) === '300');
  await page.waitForTimeout(400);
  const top = await list.evaluate((el) => ({ top: el.scrollTop, first: el.querySelector('[data-testid=message] .bubble')?.textContent.trim() }));
  assert(top.top === 0 && top.first === JSON.parse(long).messages[0].text, `a project opens at its first message: ${JSON.stringify(top)}`);
  console.log('ui-behaviour: card menu renames and duplicates; menus close; a long chat opens at the top');
  console.log('ui-behaviour: passed');
} catch (e) {
  failed = true;
  console.error(e);
} finally {
  await browser.close();
  api.stop();
}
process.exit(failed ? 1 : 0);

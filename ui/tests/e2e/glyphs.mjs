// No missing-glyph boxes: the studio UI in Debian's Chromium against `chatframe-api`, on every
// screen a new user sees (library, New menu, card menu, editor with emoji / RTL / CJK, each
// inspector tab, reaction picker, message context menu, participant editor, export dialog).
// On each, every visible character must
//   1. be in the cmap of a bundled face whose unicode-range takes it (src/fonts/fonts.css, the
//      files in assets/fonts, read with fontkit), and
//   2. be drawn with a bundled (web) font: Chromium's own account of the fonts it used for each
//      text node (DevTools `CSS.getPlatformFontsForNode`) must name no system font.
// A final self-test puts a character no bundled font has on screen and expects both checks to
// name it, so this script cannot pass by checking nothing.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as fontkit from 'fontkit';
import { assert, launchChromium, startApi, until } from './harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const fontsCss = resolve(here, '../../src/fonts/fonts.css');

/** The bundled faces as the UI declares them: family, file, the code points it covers. */
function bundledFaces() {
  const css = readFileSync(fontsCss, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
  const faces = [];
  for (const [, body] of css.matchAll(/@font-face\s*{([^}]*)}/g)) {
    const family = /font-family:\s*'([^']+)'/.exec(body)[1];
    const file = resolve(dirname(fontsCss), /url\('([^']+)'\)/.exec(body)[1]);
    const ranges = /unicode-range:([^;]+);/.exec(body)?.[1].split(',').map((r) => {
      const [lo, hi] = r.trim().replace(/^U\+/i, '').split('-');
      return [parseInt(lo, 16), parseInt(hi ?? lo, 16)];
    });
    const inRange = (cp) => !ranges || ranges.some(([lo, hi]) => cp >= lo && cp <= hi);
    const font = fontkit.openSync(file);
    const covered = new Set(font.characterSet.filter(inRange));
    faces.push({ family, file, covered });
  }
  assert(faces.length >= 5, `fonts.css declares the bundled faces (found ${faces.length})`);
  return faces;
}

/** Characters that draw nothing of their own (spaces, joiners, selectors, direction marks). */
const invisible = (cp) =>
  cp <= 0x20 ||
  (cp >= 0x7f && cp <= 0xa0) ||
  cp === 0xad ||
  cp === 0x61c ||
  (cp >= 0x2000 && cp <= 0x200f) ||
  (cp >= 0x2028 && cp <= 0x202f) ||
  (cp >= 0x2060 && cp <= 0x206f) ||
  (cp >= 0xfe00 && cp <= 0xfe0f) ||
  cp === 0xfeff ||
  (cp >= 0xe0000 && cp <= 0xe007f);

const faces = bundledFaces();
const coveredBy = (cp) => faces.find((f) => f.covered.has(cp))?.family;
console.log(`glyphs: ${faces.map((f) => `${f.family} ${f.covered.size}`).join(', ')} code points`);

// In the page: marks each element with visible text of its own, returns its text (direct text
// nodes, or an input's value and placeholder) by mark.
const COLLECT = () => {
  for (const el of document.querySelectorAll('[data-glyph-probe]')) el.removeAttribute('data-glyph-probe');
  const out = [];
  const visible = (el) =>
    el.checkVisibility({ opacityProperty: true, visibilityProperty: true }) && el.getClientRects().length > 0;
  let n = 0;
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('svg, script, style') || !visible(el)) continue;
    let text = '';
    if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) {
      if (!['checkbox', 'radio', 'range', 'color', 'file', 'hidden'].includes(el.type)) text = el.value + el.placeholder;
    } else if (el instanceof HTMLSelectElement) {
      text = el.selectedOptions[0]?.textContent ?? '';
    } else {
      for (const c of el.childNodes) if (c.nodeType === Node.TEXT_NODE) text += c.textContent;
    }
    if (!text.trim()) continue;
    el.setAttribute('data-glyph-probe', String(n));
    out.push({ probe: n++, tag: el.tagName.toLowerCase(), text });
  }
  return out;
};

/** Every problem on the current screen, as lines of text. A re-render between collecting the
 * text and asking for its fonts (a toast, a frame arriving) invalidates node ids: ask again. */
async function check(page, cdp, screen) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await checkOnce(page, cdp, screen);
    } catch (e) {
      if (attempt >= 5 || !/Could not find node/.test(String(e))) throw e;
      await page.waitForTimeout(300);
    }
  }
}

async function checkOnce(page, cdp, screen) {
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(150);
  await page.evaluate(() => document.fonts.ready);
  const items = await page.evaluate(COLLECT);
  const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
  const { nodeIds } = await cdp.send('DOM.querySelectorAll', { nodeId: root.nodeId, selector: '[data-glyph-probe]' });
  const fontsByProbe = new Map();
  for (const nodeId of nodeIds) {
    const { attributes } = await cdp.send('DOM.getAttributes', { nodeId });
    const probe = Number(attributes[attributes.indexOf('data-glyph-probe') + 1]);
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    fontsByProbe.set(probe, fonts);
  }
  const problems = [];
  const seen = new Set();
  for (const item of items) {
    const quote = JSON.stringify(item.text.trim().slice(0, 40));
    for (const ch of item.text) {
      const cp = ch.codePointAt(0);
      if (invisible(cp) || seen.has(cp)) continue;
      seen.add(cp);
      if (!coveredBy(cp)) {
        problems.push(`${screen}: U+${cp.toString(16).toUpperCase().padStart(4, '0')} “${ch}” in <${item.tag}> ${quote} is in no bundled font`);
      }
    }
    for (const f of fontsByProbe.get(item.probe) ?? []) {
      if (!f.isCustomFont && f.glyphCount > 0) {
        problems.push(`${screen}: <${item.tag}> ${quote} draws ${f.glyphCount} glyph(s) with the system font “${f.familyName}”`);
      }
    }
  }
  return { problems, chars: seen.size, nodes: items.length };
}

const bin = process.env.CHATFRAME_API_BIN;
assert(bin, 'CHATFRAME_API_BIN must point at the chatframe-api binary');
const api = await startApi(bin, { ui: 'dist' });
const browser = await launchChromium();
let failed = false;
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (e) => console.error('page error:', e.message));
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('DOM.enable');
  await cdp.send('CSS.enable');
  await page.goto(`${api.url}?token=${api.token}`);

  const problems = [];
  let chars = 0;
  const screen = async (name) => {
    const r = await check(page, cdp, name);
    problems.push(...r.problems);
    chars += r.chars;
    console.log(`glyphs: ${name}: ${r.nodes} text nodes, ${r.chars} distinct characters, ${r.problems.length} problems`);
  };

  // The library with a sample made from the New menu and the RTL/CJK sample imported.
  await page.getByTestId('new-menu').click();
  await screen('New menu');
  await page.locator('[data-testid^=sample-]').first().click();
  await page.getByTestId('composer').waitFor();
  await page.getByTestId('back').click();
  await page.getByTestId('import-file').setInputFiles(resolve(here, '../../../assets/samples/rtl-cjk.chatframe.json'));
  const world = page.getByTestId('project-card').filter({ hasText: 'Around the world' });
  await until('imported', async () => (await world.count()) === 1);
  await page.waitForTimeout(500);
  await screen('library');
  await world.click({ button: 'right' });
  await page.getByTestId('context-menu').waitFor();
  await screen('card context menu');
  await page.keyboard.press('Escape');

  // The editor on the sample with emoji, Arabic, Hebrew, Chinese, Japanese and Korean.
  await world.dblclick();
  await page.getByTestId('composer').waitFor();
  await until('messages', async () => (await page.getByTestId('message').count()) > 3);
  await screen('editor');
  for (const tab of ['Look', 'Canvas & timing']) {
    await page.getByRole('tab', { name: tab }).click();
    await screen(`inspector: ${tab}`);
  }
  const row = page.getByTestId('message').nth(1);
  await row.click();
  await screen('inspector: Message');
  await row.getByRole('button', { name: 'Add reaction' }).click();
  await page.getByTestId('reaction-picker').waitFor();
  await screen('reaction picker');
  await page.keyboard.press('Escape');
  await row.click({ button: 'right' });
  await page.getByTestId('context-menu').waitFor();
  await screen('message context menu');
  await page.keyboard.press('Escape');
  await page.getByTestId('participant').first().click();
  await screen('participant editor');
  await page.getByTestId('participant-done').click();
  await page.getByTestId('save-as').click();
  await screen('Save as menu');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+e');
  await page.getByTestId('export-dialog').waitFor();
  await screen('export dialog');
  await page.keyboard.press('Escape');

  // The check itself. ✎ (U+270E) is in no bundled font but in the system's DejaVu: both the
  // cmap check and Chromium's font account must name it. ᚠ (U+16A0) is in no font here at all
  // (Chromium draws a box with a bundled face's .notdef): the cmap check must name it.
  await page.evaluate(() => {
    const s = document.createElement('div');
    s.innerHTML = '<span>✎</span> <span>ᚠ</span>';
    s.style.cssText = 'position:fixed;left:10px;top:10px;font-size:20px;z-index:1000';
    document.body.append(s);
  });
  const self = (await check(page, cdp, 'self-test')).problems.filter((p) => p.startsWith('self-test'));
  const caught = (s) => self.filter((p) => p.includes(s)).length;
  assert(caught('U+270E') === 1 && caught('"✎" draws') === 1 && caught('U+16A0') === 1, `the self-test glyphs are caught: ${JSON.stringify(self)}`);

  if (problems.length) {
    console.error(problems.join('\n'));
    throw new Error(`${problems.length} glyph(s) would draw as missing-glyph boxes or in a system font`);
  }
  console.log(`glyphs: passed (${chars} character checks; the self-test glyphs were caught)`);
} catch (e) {
  failed = true;
  console.error(e);
} finally {
  await browser.close();
  api.stop();
}
process.exit(failed ? 1 : 0);

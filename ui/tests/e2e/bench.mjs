// Studio benchmarks in Chromium over `chatframe-api` (the HTTP + WebSocket backend): edit →
// new preview frame on screen, and scrubbing rate at a 540-px-wide preview. Prints Markdown rows.
import { chromium } from 'playwright-core';
import { assert, startApi, until } from './harness.mjs';

const bin = process.env.CHATFRAME_API_BIN;
assert(bin, 'CHATFRAME_API_BIN must point at the chatframe-api binary');
const api = await startApi(bin, { ui: 'dist' });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p90 = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)];
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${api.url}?token=${api.token}`);
  await page.getByTestId('new-menu').click();
  await page.locator('[data-testid^=sample-]').first().click();
  const composer = page.getByTestId('composer');
  await composer.waitFor();
  await page.waitForTimeout(1000);
  await page.evaluate(() => (window.__chatframeMetrics.editToFrameMs.length = 0));
  for (let i = 0; i < 30; i++) {
    const n = await page.getByTestId('message').count();
    await composer.fill(`benchmark message ${i}`);
    await composer.press('Enter');
    await until('added', async () => (await page.getByTestId('message').count()) === n + 1);
    await page.waitForTimeout(150);
  }
  const edits = await page.evaluate(() => window.__chatframeMetrics.editToFrameMs);
  // Scrub: pointer drags across the timeline for 3 s; count frames painted.
  const box = await page.getByTestId('timeline').boundingBox();
  await page.evaluate(() => (window.__chatframeMetrics.scrubFrameMs.length = 0));
  await page.mouse.move(box.x + 2, box.y + box.height / 2);
  await page.mouse.down();
  const start = Date.now();
  let i = 0;
  while (Date.now() - start < 3000) {
    const x = box.x + 2 + ((i++ * 7) % (box.width - 4));
    await page.mouse.move(x, box.y + box.height / 2);
    await page.waitForTimeout(8);
  }
  await page.mouse.up();
  const secs = (Date.now() - start) / 1000;
  const scrub = await page.evaluate(() => window.__chatframeMetrics.scrubFrameMs);
  console.log(`| edit → frame on screen (Chromium, HTTP+WS, ${edits.length} edits) | median ${median(edits).toFixed(1)} ms | p90 ${p90(edits).toFixed(1)} ms |`);
  console.log(`| scrubbing 540-px preview (Chromium, WS, ${secs.toFixed(1)} s drag) | ${(scrub.length / secs).toFixed(1)} frames/s | median ${median(scrub).toFixed(1)} ms per frame |`);
} finally {
  await browser.close();
  api.stop();
}

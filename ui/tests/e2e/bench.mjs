// Studio benchmarks in Chromium over `chatframe-api` (the HTTP + WebSocket backend): edit → new
// preview frame on screen, scrubbing rate at the 540×960 preview, and opening the 5,000-message
// project (through the API alone, and click → first frame in the UI). Prints Markdown rows.
import { rmSync } from 'node:fs';
import { assert, launchChromium, startApi, until } from './harness.mjs';
import { FRAMES, INSTRUMENT, OPEN_TO_FIRST_FRAME, RESET, SAMPLE, SCRUB, STRESS, median, ms, p90, samplesWithStress } from './bench-lib.mjs';

const bin = process.env.CHATFRAME_API_BIN;
assert(bin, 'CHATFRAME_API_BIN must point at the chatframe-api binary');
const samples = samplesWithStress();
process.env.CHATFRAME_SAMPLES = samples;
const api = await startApi(bin, { ui: 'dist' });
const browser = await launchChromium();
const call = async (method, path, body) => {
  const res = await fetch(`${api.url}api${path}`, {
    method,
    headers: { Authorization: `Bearer ${api.token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert(res.ok, `${method} ${path}: ${res.status}`);
  return res.headers.get('content-type')?.includes('json') ? res.json() : res.arrayBuffer();
};
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${api.url}?token=${api.token}`);
  await page.getByTestId('new-menu').click();
  await page.getByTestId(`sample-${SAMPLE}`).click();
  const composer = page.getByTestId('composer');
  await composer.waitFor();
  await page.waitForTimeout(1000);
  assert(await page.evaluate(INSTRUMENT), 'the UI exposes __chatframeMetrics');
  await page.evaluate(RESET);
  for (let i = 0; i < 30; i++) {
    const n = await page.getByTestId('message-list').getAttribute('data-count').then(Number);
    await composer.fill(`benchmark message ${i}`);
    await composer.press('Enter');
    await until('added', async () => (await page.getByTestId('message-list').getAttribute('data-count').then(Number)) === n + 1);
    await page.waitForTimeout(150);
  }
  await page.waitForTimeout(300);
  const edits = await page.evaluate(FRAMES('editToFrameMs'));
  const onScreen = edits.map((f) => f.onScreen).filter((x) => x !== null);
  const shown = await page.evaluate(() => { const c = document.querySelector('[data-testid=preview]'); return c.width + '×' + c.height; });
  console.log(`| edit → frame on screen, Chromium (HTTP + WebSocket), ${edits.length} edits, ${shown} preview (its shown size) | **${ms(median(onScreen))}** median | p90 ${ms(p90(onScreen))}; painted ${ms(median(edits.map((f) => f.v)))} | ≤ 30 ms |`);

  // Scrub: a 4 s drag across the timeline, one pointer move per animation frame.
  const sc = await page.evaluate(`(${SCRUB(4)})()`);
  console.log(`| scrubbing, Chromium (WebSocket), ${sc.size} frames, ${sc.span.toFixed(1)} s drag, ${(sc.moves / sc.span).toFixed(0)} pointer moves/s | **${(sc.n / sc.span).toFixed(1)} updates/s** | median ${ms(median(sc.lat))} per frame | ≥ 30/s |`);
  await page.getByTestId('back').click();

  // The 5,000-message project: through the API alone (open request → first frame bytes), each
  // time on a closed session so the library is read again.
  const stress = await call('POST', '/projects', { template: { kind: 'sample', name: STRESS } });
  const apiOpen = [];
  for (let k = 0; k < 5; k++) {
    await call('POST', `/projects/${stress.id}/close`);
    const t0 = performance.now();
    const st = await call('GET', `/projects/${stress.id}`);
    const t1 = performance.now();
    const frame = await call('GET', `/projects/${stress.id}/frame?t=0&maxWidth=540`);
    const t2 = performance.now();
    assert(st.project.messages.length === 5000 && frame.byteLength === 16 + 540 * 960 * 4, 'stress open + frame');
    apiOpen.push({ open: t1 - t0, frame: t2 - t1 });
  }
  const total = apiOpen.map((o) => o.open + o.frame);
  console.log(`| open the 5,000-message project over HTTP (\`GET /api/projects/{id}\` → \`GET …/frame\` 540×960), ${apiOpen.length} runs | **${ms(median(total))}** median | open ${ms(median(apiOpen.map((o) => o.open)))} (state JSON), frame ${ms(median(apiOpen.map((o) => o.frame)))} | ≤ 300 ms |`);

  // … and in the UI: click its card → first preview frame on screen.
  const opens = [];
  for (let k = 0; k < 3; k++) {
    await page.reload();
    await page.getByTestId('project-card').nth(1).waitFor();
    await page.waitForTimeout(1000);
    assert(await page.evaluate(INSTRUMENT), 'instrumented');
    opens.push(await page.evaluate(`(${OPEN_TO_FIRST_FRAME('Stress')})()`));
    await page.getByTestId('composer').waitFor();
    await page.getByTestId('back').click();
    await page.waitForTimeout(300);
  }
  console.log(`| open the 5,000-message project, Chromium UI: click → first preview frame on screen (${opens.length} runs) | **${ms(median(opens.map((o) => o.onScreen)))}** median | painted ${ms(median(opens.map((o) => o.painted)))}; message list shown ${ms(median(opens.map((o) => o.list)))}; runs ${opens.map((o) => o.onScreen.toFixed(0)).join(', ')} ms | ≤ 300 ms |`);
} finally {
  await browser.close();
  api.stop();
  rmSync(samples, { recursive: true, force: true });
}

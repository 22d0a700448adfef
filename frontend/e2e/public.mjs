#!/usr/bin/env node
/**
 * The citizens' light pages on a phone: 360×740, Chromium's 4× CPU throttle and DevTools' Fast 3G network
 * profile (CDP). Prints and asserts the compressed JavaScript each page transfers and its first contentful
 * paint; submits with a double tap, has the office accept and assign through the API, checks that the
 * tracking page names the unit and the expected date, and that the last four digits of the phone show the
 * submitter their own text. Usage (against a running system; changes data):
 *   E2E_BASE_URL=http://127.0.0.1:8000 node e2e/public.mjs
 * Screenshots (E2E_SCREENSHOTS=1): e2e/artifacts/public-*.png.
 */
import { join } from 'node:path';
import { artifactsDir, baseUrl, launchChromium, screenshot } from './support.mjs';

const BASE = baseUrl('node e2e/public.mjs');
const OFFICE = process.env.E2E_USER ?? 'office';
const PASSWORD = process.env.E2E_PASSWORD ?? 'demo12345';
const MAX_JS_BYTES = 100 * 1024; // the budget; the aim is 50 KB
const MAX_FCP_MS = 1500;
// DevTools' "Fast 3G": 1.6 Mbps down and 750 kbps up at 90 % efficiency, 150 ms × 3.75 latency.
const FAST_3G = { offline: false, latency: 562.5, downloadThroughput: (1.6 * 1024 * 1024 * 0.9) / 8, uploadThroughput: (750 * 1024 * 0.9) / 8 };
const ARTIFACTS = artifactsDir();

const browser = await launchChromium();

// A phone has its fonts loaded long before it opens our page; a freshly started headless Chromium loads its
// Chinese font (several MB) on the first page that shows Chinese, which would count against our first paint.
const warm = await browser.newContext();
// The page's own font stacks (citizen/src/citizen.css), in the weights it uses, are looked up once here.
await (await warm.newPage()).setContent(
  '<body style="font: 16px system-ui, -apple-system, \'PingFang SC\', \'Microsoft YaHei\', \'Noto Sans CJK SC\', \'WenQuanYi Micro Hei\', sans-serif">' +
    '<p lang="zh-CN">字体预热 font warm-up 0123 <b>加粗 bold</b></p>' +
    '<p style="font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace">K7QM-2XPD 0123</p></body>',
);
await warm.close();

/** A fresh phone (empty cache) with the CPU and network throttled, counting what each script costs on the wire. */
async function phone() {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
  await cdp.send('Network.emulateNetworkConditions', FAST_3G);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  const scripts = new Map();
  const wire = [];
  cdp.on('Network.responseReceived', (e) => {
    if (e.type === 'Script') scripts.set(e.requestId, { url: e.response.url, encoding: e.response.headers['content-encoding'] ?? e.response.headers['Content-Encoding'] ?? 'identity' });
  });
  cdp.on('Network.loadingFinished', (e) => {
    const script = scripts.get(e.requestId);
    if (script) wire.push({ ...script, bytes: e.encodedDataLength });
  });
  return { context, page, wire };
}

/** One cold load on a fresh phone: (context, page, first contentful paint, scripts on the wire). */
async function coldLoad(url) {
  const { context, page, wire } = await phone();
  await page.goto(url, { waitUntil: 'load' });
  const fcp = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const seen = performance.getEntriesByName('first-contentful-paint')[0];
        if (seen) return resolve(seen.startTime);
        new PerformanceObserver((list) => resolve(list.getEntries()[0].startTime)).observe({ type: 'paint', buffered: true });
      }),
  );
  return { context, page, fcp, wire };
}

// The best of up to three cold loads: a busy machine (tests run beside each other, and the 4× throttle multiplies
// whatever CPU the other processes leave us) only ever adds time, so the fastest load is the closest to the page's
// own cost. A load within the budget ends the measuring: the best of more could only be as good, and each cold load
// costs Chromium a new context and the page's whole start.
const LOADS = 3;

async function measure(name, url) {
  const loads = [];
  for (let i = 0; i < LOADS; i += 1) {
    if (i > 0) await loads[i - 1].context.close();
    const load = await coldLoad(url);
    loads.push(load);
    if (load.fcp <= MAX_FCP_MS) break;
  }
  const fcps = loads.map((l) => l.fcp).sort((a, b) => a - b);
  const fcp = fcps[0];
  const { context, page, wire } = loads.at(-1);
  const js = wire.reduce((sum, s) => sum + s.bytes, 0);
  console.log(`     ${name}: JavaScript ${(js / 1024).toFixed(1)} KB on the wire in ${wire.length} file(s) [${wire.map((s) => `${new URL(s.url).pathname} ${s.encoding} ${s.bytes} B`).join(', ')}], first contentful paint ${Math.round(fcp)} ms (best of ${fcps.map(Math.round).join(', ')}; 4× CPU, Fast 3G, 360×740)`);
  if (wire.length === 0) throw new Error(`${name}: no script loaded`);
  if (js > MAX_JS_BYTES) throw new Error(`${name}: ${js} bytes of JavaScript, over ${MAX_JS_BYTES}`);
  if (fcp > MAX_FCP_MS) throw new Error(`${name}: first contentful paint ${Math.round(fcp)} ms, over ${MAX_FCP_MS}`);
  if (wire.some((s) => s.encoding !== 'br')) throw new Error(`${name}: a script was not sent brotli-compressed`);
  return { context, page };
}

async function api(method, path, body, token) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body) headers['Content-Type'] = 'application/json';
  const response = await fetch(`${BASE}${path}`, { method, headers, body: body ? JSON.stringify(body) : undefined });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

async function officeToken() {
  const form = new URLSearchParams({ username: OFFICE, password: PASSWORD });
  const response = await fetch(`${BASE}/api/v1/auth/token`, { method: 'POST', body: form });
  if (!response.ok) throw new Error(`office login: ${response.status}`);
  return (await response.json()).access_token;
}

const results = [];
async function step(name, fn) {
  const started = Date.now();
  try {
    await fn();
    results.push(true);
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    results.push(false);
    console.log(`FAIL ${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

const title = `公交站牌信息多年未更新 ${Date.now()}`;
const content = '石家庄市裕华路公交站牌上的线路和时刻表多年未更新，外地客商经常等错车。';
let code = '';
let unit = null;
let deadline = '';

await step('public-submit-on-a-phone', async () => {
  const { context, page } = await measure('/submit', `${BASE}/submit`);
  try {
    await page.fill('#title', title);
    await page.fill('#content', content);
    await page.fill('#contact_phone', '139 1234 5678');
    await page.getByLabel('短信告知（需填写手机号）').check();
    await screenshot(page, { path: join(ARTIFACTS, 'public-submit.png'), fullPage: true });
    // A double tap that gets through: the form is sent twice at once, with its one Idempotency-Key.
    const posts = [];
    page.on('request', (r) => r.method() === 'POST' && posts.push(r.headers()['idempotency-key']));
    await page.locator('form').evaluate((form) => {
      form.requestSubmit();
      form.requestSubmit();
    });
    code = (await page.locator('[data-testid=tracking-code]').innerText()).trim();
    if (!/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/.test(code)) throw new Error(`tracking code ${code}`);
    if (posts.length !== 2 || posts[0] !== posts[1] || !posts[0]) throw new Error(`sent ${posts.length} times with keys ${posts}`);
    console.log(`     tracking code: ${code}`);
    await screenshot(page, { path: join(ARTIFACTS, 'public-submitted.png'), fullPage: true });
  } finally {
    await context.close();
  }
});

await step('office-accepts-and-assigns-in-one-step', async () => {
  const token = await officeToken();
  const listed = await api('GET', '/api/v1/intake?status=submitted&contacts=false&limit=200', null, token);
  const mine = listed.items.filter((s) => s.title === title);
  if (mine.length !== 1) throw new Error(`${mine.length} submissions for one double-sent form`);
  console.log('     one submission for the form sent twice with one Idempotency-Key');
  const units = await api('GET', '/api/v1/units', null, token);
  unit = (Array.isArray(units) ? units : units.items).find((u) => u.code === 'SJZ') ?? (Array.isArray(units) ? units : units.items)[0];
  const due = new Date(Date.now() + 20 * 86_400_000);
  deadline = due.toISOString().slice(0, 10);
  const body = { assign: { lead_unit_id: unit.id, deadline }, public_reply: '已受理，交由责任单位核查更新站牌信息。' };
  await api('POST', `/api/v1/intake/${mine[0].id}/accept`, body, token);
  console.log(`     assigned to ${unit.name}, due ${deadline}`);
});

await step('track-shows-unit-and-expected-date', async () => {
  const { context, page } = await measure('/track/<code>', `${BASE}/track/${encodeURIComponent(code)}`);
  try {
    await page.locator('[data-testid=public-status]').waitFor();
    const status = (await page.locator('[data-testid=public-status]').innerText()).trim();
    const shownUnit = (await page.locator('[data-testid=unit-name]').innerText()).trim();
    const expected = (await page.locator('[data-testid=expected-date]').innerText()).trim();
    const [y, m, d] = deadline.split('-').map(Number);
    if (shownUnit !== unit.name) throw new Error(`unit shown: ${shownUnit}, expected ${unit.name}`);
    if (expected !== `${y}年${m}月${d}日`) throw new Error(`expected date shown: ${expected}, deadline ${deadline}`);
    if (!(await page.getByText('已受理，交由责任单位核查更新站牌信息。').isVisible())) throw new Error('the public reply is missing');
    console.log(`     status ${status}, unit ${shownUnit}, expected ${expected}`);
    await screenshot(page, { path: join(ARTIFACTS, 'public-track.png'), fullPage: true });

    // The last four digits of the phone given show the whole text (a wrong guess is the API tests' business:
    // the gateway allows a handful of public writes per minute per address).
    await page.fill('input[name=phone_last4]', '5678');
    await page.getByRole('button', { name: '查看' }).click();
    await page.locator('[data-testid=revealed]').getByText(content).waitFor();
    await screenshot(page, { path: join(ARTIFACTS, 'public-reveal.png'), fullPage: true });

    await page.getByRole('button', { name: 'English' }).click();
    await page.locator('[data-testid=public-status]').getByText(/Accepted|In progress/).waitFor();
    await screenshot(page, { path: join(ARTIFACTS, 'public-track-en.png'), fullPage: true });
  } finally {
    await context.close();
  }
});

await browser.close();
const failed = results.filter((ok) => !ok).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);

#!/usr/bin/env node
/**
 * End-to-end smoke test against a running Rectify (gateway serving the built SPA).
 * Not part of `npm test`. Usage:
 *   E2E_BASE_URL=http://127.0.0.1:8000 npm run e2e
 * Needs Debian's Chromium at /usr/bin/chromium (or CHROMIUM_PATH); never downloads a browser.
 * Screenshots go to e2e/artifacts/.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const BASE = process.env.E2E_BASE_URL;
if (!BASE) {
  console.error('Set E2E_BASE_URL, e.g. E2E_BASE_URL=http://127.0.0.1:8000 npm run e2e');
  process.exit(2);
}
const USER = process.env.E2E_USER ?? 'office';
const PASSWORD = process.env.E2E_PASSWORD ?? 'demo12345';
const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), 'artifacts');
mkdirSync(ARTIFACTS, { recursive: true });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});

const results = [];
async function step(name, fn) {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const started = Date.now();
  try {
    await fn(page);
    results.push({ name, ok: true });
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    results.push({ name, ok: false });
    console.log(`FAIL ${name}: ${error instanceof Error ? error.message : String(error)}`);
    await page.screenshot({ path: join(ARTIFACTS, `${name}-failure.png`), fullPage: true }).catch(() => undefined);
  } finally {
    await context.close();
  }
}

async function login(page) {
  await page.goto(`${BASE}/login`);
  await page.fill('#username', USER);
  await page.fill('#password', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=current-user]');
}

await step('login-ledger-detail', async (page) => {
  await login(page);
  await page.goto(`${BASE}/issues`);
  const firstIssue = page.locator('.ant-table-tbody tr.ant-table-row a').first();
  await firstIssue.waitFor();
  const total = await page.locator('[data-testid=issue-total]').innerText();
  console.log(`     ledger: ${total}`);
  await page.screenshot({ path: join(ARTIFACTS, 'ledger.png'), fullPage: true });
  await firstIssue.click();
  await page.waitForURL(/\/issues\/[^/]+$/);
  await page.locator('.ant-descriptions').first().waitFor();
  if ((await page.locator('.ant-alert-error').count()) > 0) throw new Error('the detail page shows an error');
  await page.screenshot({ path: join(ARTIFACTS, 'issue-detail.png'), fullPage: true });
});

await step('public-submit-and-track', async (page) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${BASE}/submit`);
  await page.fill('#title', `E2E 诉求 ${new Date().toISOString()}`);
  await page.fill('#content', '营业执照变更材料齐全，窗口仍要求反复补件。');
  await page.click('button[type=submit]');
  const codeEl = page.locator('[data-testid=tracking-code]');
  await codeEl.waitFor();
  const code = (await codeEl.innerText()).trim();
  if (code.length < 8) throw new Error(`tracking code too short: ${code}`);
  console.log(`     tracking code: ${code}`);
  await page.screenshot({ path: join(ARTIFACTS, 'submitted.png'), fullPage: true });
  await page.goto(`${BASE}/track/${encodeURIComponent(code)}`);
  await page.locator('[data-testid=public-status]').waitFor();
  await page.screenshot({ path: join(ARTIFACTS, 'track.png'), fullPage: true });
});

await browser.close();
const failed = results.filter((r) => !r.ok).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);

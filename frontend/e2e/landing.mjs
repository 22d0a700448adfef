#!/usr/bin/env node
/**
 * Each role's landing page, looked at as its users see it, against a running Rectify (gateway serving the built SPA):
 *   E2E_BASE_URL=http://127.0.0.1:8000 node e2e/landing.mjs [outdir]
 * Signs in as a unit clerk (KJT-GX), the office and a leader; checks each lands on its page (CONTRACTS.md), that no
 * page is wider than a 390 px phone, and saves screenshots: workbench, desk, cockpit (1440×900), board (1920×1080),
 * phone-workbench and phone-cockpit (390×844). Needs Debian's Chromium (/usr/bin/chromium or CHROMIUM_PATH).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { artifactsDir, baseUrl, launchChromium, signIn } from './support.mjs';

const BASE = baseUrl('node e2e/landing.mjs');
const PASSWORD = process.env.E2E_PASSWORD ?? 'demo12345';
const OUT = process.argv[2] ?? artifactsDir('landing');
mkdirSync(OUT, { recursive: true });

const browser = await launchChromium();

const failures = [];

async function page(viewport) {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', deviceScaleFactor: 1 });
  const p = await context.newPage();
  p.on('pageerror', (e) => failures.push(`page error: ${e.message}`));
  return p;
}

async function login(p, username) {
  await signIn(p, BASE, username, PASSWORD);
}

async function landsOn(p, path) {
  await p.waitForURL((url) => url.pathname.startsWith(path), { timeout: 30_000 });
}

async function settle(p) {
  await p.waitForLoadState('networkidle', { timeout: 30_000 }).catch(() => undefined);
  // lists still loading show a spinner over faded rows
  await p.waitForFunction(() => !document.querySelector('.ant-spin-spinning'), undefined, { timeout: 30_000 }).catch(() => undefined);
  await p.waitForTimeout(1500); // the charts animate in
  await p.mouse.move(0, 0); // no link left hovered by the last click
}

async function noSidewaysScroll(p, name) {
  const [doc, screen] = await p.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  if (doc > screen) failures.push(`${name}: the page is ${doc} px wide on a ${screen} px screen`);
}

async function shot(p, name, fullPage = true) {
  await p.screenshot({ path: join(OUT, `${name}.png`), fullPage });
  console.log(`saved ${name}.png`);
}

const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

{
  const p = await page(DESKTOP);
  await login(p, process.env.E2E_UNIT_USER ?? 'KJT-GX');
  await landsOn(p, '/workbench');
  await p.getByTestId('queue-card-toAccept').waitFor();
  await settle(p);
  await shot(p, 'workbench', false);
  await p.context().close();
}
{
  const p = await page(DESKTOP);
  await login(p, 'office');
  await landsOn(p, '/desk');
  await p.getByTestId('queue-card-intake').waitFor();
  await settle(p);
  await shot(p, 'desk', false);
  await p.context().close();
}
{
  const p = await page(DESKTOP);
  await login(p, 'leader');
  await landsOn(p, '/cockpit');
  await p.getByTestId('kpi-total').waitFor();
  await settle(p);
  await shot(p, 'cockpit');
  await p.context().close();
}
{
  const p = await page({ width: 1920, height: 1080 });
  await login(p, 'leader');
  await p.goto(`${BASE}/board`);
  await p.getByTestId('board-kpi-total').waitFor();
  await settle(p);
  const [w, h] = await p.evaluate(() => [document.documentElement.scrollWidth, document.querySelector('[data-testid=board]')?.scrollHeight ?? 0]);
  if (w > 1920 || h > 1080) failures.push(`board: ${w}×${h} does not fit 1920×1080`);
  await shot(p, 'board', false);
  await p.context().close();
}
{
  const p = await page(PHONE);
  await login(p, process.env.E2E_UNIT_USER ?? 'KJT-GX');
  await landsOn(p, '/workbench');
  await p.getByTestId('queue-card-toAccept').waitFor();
  await settle(p);
  await noSidewaysScroll(p, 'phone workbench');
  await shot(p, 'phone-workbench', false);
  // 待签收督办: the notices to sign, reached by tapping its count
  await p.getByTestId('queue-card-notices').click();
  await settle(p);
  await noSidewaysScroll(p, 'phone workbench, notices to sign');
  await shot(p, 'phone-workbench-notices');
  await p.context().close();
}
{
  const p = await page(PHONE);
  await login(p, 'leader');
  await landsOn(p, '/cockpit');
  await p.getByTestId('kpi-total').waitFor();
  await settle(p);
  await noSidewaysScroll(p, 'phone cockpit');
  await shot(p, 'phone-cockpit');
  await p.context().close();
}

await browser.close();
if (failures.length) {
  console.error(failures.join('\n'));
  process.exit(1);
}

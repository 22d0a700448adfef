#!/usr/bin/env node
/**
 * The office's ledger and its dialogs, looked at as the office sees them, against a running Rectify:
 *   E2E_BASE_URL=http://127.0.0.1:8000 node e2e/ledger.mjs [outdir]
 * Signs in as `office`; the ledger (urgency first, traffic lights, pagination), a code search, rows ticked for a
 * batch step, the 交办 dialog with its working-day presets on a registered item, the create-and-assign form, the
 * 导入台账 page with the dry-run preview of a file with a bad row (nothing is written);
 * at 1440×900 and 390×844 (no page wider than the phone). Needs Debian's Chromium (/usr/bin/chromium or CHROMIUM_PATH).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { artifactsDir, baseUrl, launchChromium, signIn } from './support.mjs';

const BASE = baseUrl('node e2e/ledger.mjs');
const PASSWORD = process.env.E2E_PASSWORD ?? 'demo12345';
const OUT = process.argv[2] ?? artifactsDir('ledger');
mkdirSync(OUT, { recursive: true });

const browser = await launchChromium();
const failures = [];

async function page(viewport) {
  const context = await browser.newContext({ viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', deviceScaleFactor: 1 });
  const p = await context.newPage();
  p.on('pageerror', (e) => failures.push(`page error: ${e.message}`));
  await signIn(p, BASE, 'office', PASSWORD);
  return p;
}

async function settle(p) {
  await p.waitForLoadState('networkidle', { timeout: 30_000 }).catch(() => undefined);
  await p.waitForFunction(() => !document.querySelector('.ant-spin-spinning'), undefined, { timeout: 30_000 }).catch(() => undefined);
  await p.waitForTimeout(800);
  await p.mouse.move(0, 0);
}

async function narrow(p, name) {
  const [doc, screen] = await p.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  if (doc > screen) failures.push(`${name}: the page is ${doc} px wide on a ${screen} px screen`);
}

async function shot(p, name, fullPage = false) {
  await p.screenshot({ path: join(OUT, `${name}.png`), fullPage });
  console.log(`saved ${name}.png`);
}

for (const [label, viewport] of [
  ['desktop', { width: 1440, height: 900 }],
  ['phone', { width: 390, height: 844 }],
]) {
  const p = await page(viewport);
  await p.goto(`${BASE}/issues`);
  await p.getByTestId('issue-total').waitFor();
  await settle(p);
  await shot(p, `${label}-ledger`, label === 'phone');
  if (label === 'phone') await narrow(p, 'phone ledger');
  // the first row's code, searched for
  const texts = await p.locator('td a[href^="/issues/"], .responsive-table-cards a[href^="/issues/"]').allInnerTexts();
  const code = texts.map((x) => x.trim()).find((x) => /^[A-Z]+-\d{4}-\d{4}$/.test(x)) ?? '';
  await p.getByPlaceholder('搜索编号、标题或内容').fill(code);
  await p.getByPlaceholder('搜索编号、标题或内容').press('Enter');
  await p.waitForFunction(() => /共 1 条/.test(document.querySelector('[data-testid=issue-total]')?.textContent ?? ''), undefined, { timeout: 15_000 })
    .catch(() => failures.push(`search by code ${code} did not find exactly one item`));
  await settle(p);
  await shot(p, `${label}-search-code`);
  // tick rows for a batch step
  await p.goto(`${BASE}/issues?status=registered`);
  await p.getByTestId('issue-total').waitFor();
  await settle(p);
  const boxes = p.locator('.ant-table-row .ant-checkbox-input, .responsive-table-cards .ant-checkbox-input');
  const n = Math.min(await boxes.count(), 3);
  for (let i = 0; i < n; i += 1) await boxes.nth(i).check();
  if (n > 0) {
    await p.getByTestId('batch-bar').waitFor();
    await p.getByRole('button', { name: '成批交办' }).first().click();
    await p.getByTestId('deadline-presets').waitFor();
    await settle(p);
    await shot(p, `${label}-batch-assign`);
    if (label === 'phone') await narrow(p, 'phone batch assign');
    await p.keyboard.press('Escape');
    // one registered item: 交办 opened from the detail page
    const first = await p.locator('td a[href^="/issues/"], .responsive-table-cards a[href^="/issues/"]').first().getAttribute('href');
    await p.goto(`${BASE}${first}?step=assign`);
    await p.getByTestId('deadline-presets').waitFor({ timeout: 30_000 });
    await settle(p);
    await shot(p, `${label}-assign-dialog`);
    if (label === 'phone') await narrow(p, 'phone assign dialog');
    await p.keyboard.press('Escape');
    await settle(p);
    await shot(p, `${label}-detail-actions`);
  } else failures.push('no registered item to tick');
  await p.goto(`${BASE}/issues/new`);
  await p.getByTestId('assign-now').waitFor();
  await settle(p);
  await shot(p, `${label}-create`, true);
  if (label === 'phone') await narrow(p, 'phone create');
  // 导入台账: a file with one good and one bad row, checked only (a dry run writes nothing)
  await p.goto(`${BASE}/issues/import`);
  await p.getByTestId('import-page').waitFor();
  const sheet = join(OUT, 'import-check.csv');
  writeFileSync(sheet, '问题,原因,措施,责任单位,整改时限\n截图 审批环节多,流程冗长,精简环节,法规处,2027-03-31\n截图 时限写错,原因,措施,法规处,明年三月\n');
  await p.locator('[data-testid=import-page] input[type=file]').setInputFiles(sheet);
  await p.getByTestId('import-summary').waitFor();
  await settle(p);
  await shot(p, `${label}-import-preview`, true);
  if (label === 'phone') await narrow(p, 'phone import preview');
  await p.context().close();
}

await browser.close();
if (failures.length) {
  console.error(failures.join('\n'));
  process.exit(1);
}

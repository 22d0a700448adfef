#!/usr/bin/env node
/**
 * End-to-end smoke test against a running Rectify (gateway serving the built SPA).
 * Not part of `npm test`. Usage:
 *   E2E_BASE_URL=http://127.0.0.1:8000 npm run e2e
 * Needs Debian's Chromium at /usr/bin/chromium (or CHROMIUM_PATH); never downloads a browser.
 * Screenshots go to e2e/artifacts/ (a failing step's always; the others with E2E_SCREENSHOTS=1).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { artifactsDir, baseUrl, launchChromium, screenshot, SCREENSHOTS, signIn } from './support.mjs';

const BASE = baseUrl('npm run e2e');
const USER = process.env.E2E_USER ?? 'office';
const PASSWORD = process.env.E2E_PASSWORD ?? 'demo12345';
// a unit (lead unit) account of the demo data
const UNIT_USER = process.env.E2E_UNIT_USER ?? 'KJT-ZCFG';
const UNIT_PASSWORD = process.env.E2E_UNIT_PASSWORD ?? 'demo12345';
const ARTIFACTS = artifactsDir();
const OFFICE = { username: USER, password: PASSWORD };
const UNIT = { username: UNIT_USER, password: UNIT_PASSWORD };
const ADMIN = { username: 'admin', password: PASSWORD };

const browser = await launchChromium();

/** What went wrong on the wire while a step ran: failed and slow requests, page errors, requests never answered. */
function watchTraffic(page) {
  const trouble = [];
  const inFlight = new Map();
  const path = (r) => `${r.method()} ${new URL(r.url()).pathname}`;
  const listeners = {
    request: (r) => inFlight.set(r, Date.now()),
    requestfinished: (r) => {
      const took = Date.now() - (inFlight.get(r) ?? Date.now());
      inFlight.delete(r);
      if (took > 2000) trouble.push(`${path(r)} took ${took} ms`);
      // every write, answered or not, tells what the page did
      else if (r.method() !== 'GET') trouble.push(`${path(r)} answered in ${took} ms`);
    },
    requestfailed: (r) => {
      inFlight.delete(r);
      // a navigation or a superseded query aborts requests: that is not trouble
      const reason = r.failure()?.errorText ?? '';
      if (reason !== 'net::ERR_ABORTED') trouble.push(`${path(r)} failed: ${reason}`);
    },
    response: (r) => {
      if (r.status() >= 400) trouble.push(`${path(r.request())} -> ${r.status()}`);
    },
    pageerror: (e) => trouble.push(`page error: ${e.message}`),
  };
  for (const [event, listener] of Object.entries(listeners)) page.on(event, listener);
  return {
    report: () => [...trouble, ...[...inFlight].map(([r, since]) => `still waiting ${Date.now() - since} ms for ${path(r)}`)],
    // a page kept for the account's next step reports that step's traffic only
    stop: () => {
      for (const [event, listener] of Object.entries(listeners)) page.off(event, listener);
    },
  };
}

/** The toasts, notifications and form errors on the page (after a failure, to say what the user saw). */
async function shownMessages(page) {
  const selector = '.ant-message-notice, .ant-notification-notice, .ant-form-item-explain-error, .ant-alert';
  return page
    .locator(selector)
    .allInnerTexts()
    .then((texts) => texts.map((t) => t.replace(/\s+/g, ' ').trim()).filter(Boolean))
    .catch(() => []);
}

const results = [];
const VIEWPORT = { width: 1280, height: 900 };

async function newPage() {
  // Without motion a dialog is whole the moment it shows: a click in the middle of antd's zoom-in lands
  // where the button is going to be, not where it is, and a loaded CI machine made that happen.
  const context = await browser.newContext({ locale: 'zh-CN', viewport: VIEWPORT, reducedMotion: 'reduce' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return page;
}

/**
 * The signed-in page of each account, kept from one of its steps to the next (each step goes to its own route as
 * the menu does): a new context and sign-in per step loaded and started the whole SPA again, its login page and its
 * landing page (about 1.5 s of Chromium's CPU each time), for what the account's previous step had just done.
 * Signing in is the first step's of each account here, every role's in roles.mjs (desktop and phone), and the
 * session's own journeys are security.mjs'. A step that fails leaves its page to be thrown away: the account's next
 * step starts from a new context and a new sign-in.
 */
const kept = new Map();

/** Run a step on the signed-in page of `account` (kept between its steps), or without one on a new page of its own. */
async function step(name, account, fn) {
  if (!fn) [account, fn] = [null, account];
  const started = Date.now();
  let page = null;
  let traffic = null;
  try {
    // a new page's sign-in is part of the step: its traffic and failure are reported with it
    const reused = account ? kept.get(account.username) : undefined;
    page = reused ?? (await newPage());
    traffic = watchTraffic(page);
    if (account) {
      kept.set(account.username, page);
      // the previous step may have tried the page at another size
      if (reused) await page.setViewportSize(VIEWPORT);
      else await login(page, account.username, account.password);
    }
    await fn(page);
    results.push({ name, ok: true });
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    results.push({ name, ok: false });
    console.log(`FAIL ${name}: ${error instanceof Error ? error.message : String(error)}`);
    for (const line of traffic?.report() ?? []) console.log(`     ${line}`);
    if (page) {
      for (const line of await shownMessages(page)) console.log(`     shown: ${line}`);
      await page.screenshot({ path: join(ARTIFACTS, `${name}-failure.png`), fullPage: true }).catch(() => undefined);
    }
    if (account) kept.delete(account.username);
    await page?.context().close().catch(() => undefined);
    page = null;
  } finally {
    traffic?.stop();
    if (page && !account) await page.context().close();
  }
}

async function login(page, username = USER, password = PASSWORD) {
  await signIn(page, BASE, username, password);
}

/**
 * Go to a route of the staff app as its menu does (history.pushState and the popstate its router listens to), once
 * signed in: a page.goto would load and start the whole SPA again (1.7 MB of script, about half a second of
 * Chromium's CPU each), which sign-in has just done. The pages' own loads, headers and deep links are security.mjs's.
 */
async function visit(page, route) {
  await page.evaluate((r) => {
    // what the page shows now, to know when the next one has replaced it (a table of the last page is not this one's)
    for (const el of document.querySelectorAll('main > *')) el.setAttribute('data-stale', '');
    window.history.pushState({}, '', r);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, route);
  // a page that keeps its frame (the admin pages' tabs) keeps those elements: the step's own wait says when it is drawn
  await page.waitForFunction(() => !document.querySelector('[data-stale]'), null, { timeout: 5000, polling: 50 }).catch(() => undefined);
}

/**
 * GET an API path as the signed-in user (to check what the page shows against the API). The SPA keeps its
 * token in memory only: a token of the same session comes from the session cookie.
 */
async function api(page, path) {
  return page.evaluate(async (p) => {
    const session = await fetch('/api/v1/auth/refresh', { method: 'POST' });
    if (!session.ok) throw new Error(`refresh: ${session.status}`);
    const { access_token: token } = await session.json();
    const response = await fetch(p, { headers: { Authorization: `Bearer ${token}` } });
    if (!response.ok) throw new Error(`${p}: ${response.status}`);
    return response.json();
  }, path);
}

/** The number in the ledger's "共 N 条" total. */
async function ledgerTotal(page) {
  const text = await page.locator('[data-testid=issue-total]').innerText();
  const match = /(\d+)/.exec(text);
  if (!match) throw new Error(`no total in ${text}`);
  return Number(match[1]);
}

let officeTotal = null;

await step('login-ledger-detail', OFFICE, async (page) => {
  await visit(page, `/issues`);
  const firstIssue = page.locator('.ant-table-tbody tr.ant-table-row a').first();
  await firstIssue.waitFor();
  officeTotal = await ledgerTotal(page);
  console.log(`     ledger: ${officeTotal} issues`);
  await screenshot(page, { path: join(ARTIFACTS, 'ledger.png'), fullPage: true });
  await firstIssue.click();
  await page.waitForURL(/\/issues\/[^/]+$/);
  await page.locator('.ant-descriptions').first().waitFor();
  if ((await page.locator('.ant-alert-error').count()) > 0) throw new Error('the detail page shows an error');
  await screenshot(page, { path: join(ARTIFACTS, 'issue-detail.png'), fullPage: true });
});

await step('office-workflow-step', OFFICE, async (page) => {
  // an issue being worked on: the office may urge (催办) it
  await visit(page, `/issues?status=in_progress`);
  const firstIssue = page.locator('.ant-table-tbody tr.ant-table-row a').first();
  await firstIssue.waitFor();
  await firstIssue.click();
  await page.waitForURL(/\/issues\/[^/]+$/);
  const id = page.url().split('/').pop();
  const before = (await api(page, `/api/v1/issues/${id}/timeline`)).items.length;
  await page.getByRole('button', { name: /^催\s*办$/ }).click();
  const dialog = page.getByRole('dialog');
  const content = `E2E 催办 ${new Date().toISOString()}`;
  await dialog.locator('textarea').fill(content);
  const typed = await dialog.locator('textarea').inputValue();
  if (typed !== content) throw new Error(`the 催办 text box holds "${typed}" after typing`);
  // the dialog's button names its step
  await dialog.getByRole('button', { name: /^催\s*办$/ }).click();
  await dialog.waitFor({ state: 'hidden' });
  await page.getByText(content).first().waitFor();
  const after = (await api(page, `/api/v1/issues/${id}/timeline`)).items;
  if (after.length !== before + 1 || after.at(-1).type !== 'issue.urged') {
    throw new Error(`timeline went from ${before} to ${after.length} (last ${after.at(-1)?.type})`);
  }
  await screenshot(page, { path: join(ARTIFACTS, 'office-urged.png'), fullPage: true });
});

await step('unit-sees-own-issues', UNIT, async (page) => {
  await visit(page, `/issues`);
  await page.locator('.ant-table-tbody tr.ant-table-row a').first().waitFor();
  const total = await ledgerTotal(page);
  const me = await api(page, '/api/v1/auth/me');
  const listed = await api(page, '/api/v1/issues?limit=200');
  const foreign = listed.items.filter((i) => i.lead_unit_id !== me.unit_id && !i.co_unit_ids.includes(me.unit_id));
  console.log(`     ${UNIT_USER}: ${total} issues (office sees ${officeTotal})`);
  if (foreign.length > 0) throw new Error(`${foreign.length} issues of other units listed`);
  if (total !== listed.total) throw new Error(`page total ${total} != API total ${listed.total}`);
  if (officeTotal !== null && total >= officeTotal) throw new Error('the unit sees as many issues as the office');
  await screenshot(page, { path: join(ARTIFACTS, 'unit-ledger.png'), fullPage: true });
});

await step('reports-kpis', OFFICE, async (page) => {
  await visit(page, `/reports`);
  const kpi = (name) =>
    page
      .locator('.ant-statistic', { has: page.locator('.ant-statistic-title', { hasText: new RegExp(`^${name}$`) }) })
      .locator('.ant-statistic-content-value');
  const value = kpi('问题总数');
  await value.waitFor();
  await page.waitForFunction((el) => /\d/.test(el.textContent ?? ''), await value.elementHandle());
  const rate = await kpi('销号率').innerText();
  if (!/^\d+(\.\d)?%$/.test(rate.trim())) throw new Error(`closure rate shows ${rate}`);
  await page.locator('.ant-table-tbody tr.ant-table-row').first().waitFor();
  console.log(`     total ${await value.innerText()}, closure rate ${rate}`);
  if (SCREENSHOTS) await page.waitForTimeout(500); // let the charts finish their first animation for the picture
  await screenshot(page, { path: join(ARTIFACTS, 'reports.png'), fullPage: true });
});

/** Poll `check` (an async function returning something truthy) for up to `seconds`. */
async function eventually(check, seconds = 60) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const found = await check();
    if (found) return found;
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/**
 * GET an API path as the office from here, not from a page: a lookup that prepares a step (which notice, which unit)
 * needs no browser, and signing the office in on a page of its own would load the whole SPA for it.
 */
let officeToken = null;
async function officeApi(path) {
  if (!officeToken) {
    const form = new URLSearchParams({ username: USER, password: PASSWORD });
    const session = await fetch(`${BASE}/api/v1/auth/token`, { method: 'POST', body: form });
    if (!session.ok) throw new Error(`office sign-in: ${session.status}`);
    officeToken = (await session.json()).access_token;
  }
  const response = await fetch(`${BASE}${path}`, { headers: { Authorization: `Bearer ${officeToken}` } });
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

await step('unit-acknowledges-a-supervision-notice', async (page) => {
  // The office finds a 督办 notice still to sign; its unit's account signs it on the 督办通知 page.
  const notice = await eventually(async () => {
    const page1 = await officeApi('/api/v1/escalations?level=2&awaiting_acknowledgement=true&limit=1');
    return page1.items[0];
  });
  const units = await officeApi('/api/v1/units');
  const unit = units.items.find((u) => u.id === notice.unit_id);
  if (!unit) throw new Error(`no unit ${notice.unit_id}`);
  await login(page, unit.code, UNIT_PASSWORD);
  await visit(page, `/escalations?level=2`);
  const row = page.locator('.ant-table-tbody tr', { hasText: notice.number });
  await row.waitFor();
  if (notice.issue_code && !(await row.innerText()).includes(notice.issue_code)) {
    throw new Error(`the row does not name issue ${notice.issue_code}`);
  }
  // The notice is read in full in a drawer before 签收: its number and text, then 签收 (confirmed) at its foot.
  await row.getByRole('button', { name: '阅读并签收' }).click();
  const drawer = page.locator('.ant-drawer-content');
  await drawer.getByText(notice.number).first().waitFor();
  const text = await drawer.getByTestId('notice-text').innerText();
  if (!text.includes(notice.number)) throw new Error(`the notice text does not name ${notice.number}: ${text}`);
  // antd spaces out a two-character Chinese label on a button: 签 收, 确 定
  await drawer.getByRole('button', { name: /^签\s*收$/ }).click();
  await page.locator('.ant-popconfirm').getByRole('button', { name: /^确\s*定$/ }).click();
  await drawer.waitFor({ state: 'hidden' });
  const signed = await api(page, `/api/v1/escalations?issue_id=${notice.issue_id}&level=2`);
  if (!signed.items.find((e) => e.id === notice.id)?.acknowledged_at) throw new Error('the API shows it unsigned');
  console.log(`     ${unit.code} signed ${notice.number}`);
  await screenshot(page, { path: join(ARTIFACTS, 'escalations.png'), fullPage: true });
});

await step('admin-console', ADMIN, async (page) => {
  await visit(page, `/admin/users`);
  await page.locator('.ant-table-tbody tr.ant-table-row', { hasText: UNIT_USER }).first().waitFor();
  await visit(page, `/admin/webhooks`);
  await page.locator('.ant-table').first().waitFor();
  await screenshot(page, { path: join(ARTIFACTS, 'admin-webhooks.png'), fullPage: true });
  // the audit log after every step so far: the chain verifies and the first events are listed
  await visit(page, `/admin/audit`);
  await page.locator('.ant-table-tbody tr.ant-table-row').first().waitFor();
  await page.getByRole('button', { name: '开始校验' }).click();
  const verdict = page.locator('.ant-alert-message');
  await verdict.waitFor();
  if ((await verdict.innerText()) !== '审计链完整') throw new Error(`the audit check says ${await verdict.innerText()}`);
  console.log(`     ${await page.locator('.ant-alert-description').innerText()}`);
  await screenshot(page, { path: join(ARTIFACTS, 'admin-audit.png'), fullPage: true });
});

await step('office-creates-a-meeting-report', OFFICE, async (page) => {
  await visit(page, `/reports/meetings`);
  const before = (await api(page, '/api/v1/reports/meetings')).items.length;
  await page.getByRole('combobox', { name: '专项行动' }).first().click();
  await page.locator('.ant-select-dropdown .ant-select-item-option').first().click();
  await page.getByRole('button', { name: '生成例会材料' }).click();
  await page.locator('.ant-table-tbody tr.ant-table-row').nth(before).waitFor();
  const after = await api(page, '/api/v1/reports/meetings');
  if (after.items.length !== before + 1) throw new Error(`${after.items.length} snapshots, expected ${before + 1}`);
  const [download] = await Promise.all([
    // report-api imports matplotlib for a process's first Word file (~2 s of CPU, kept off its start): on the
    // loaded 2-core CI machine that first download has taken 15 s.
    page.waitForEvent('download', { timeout: 60_000 }),
    page.locator('.ant-table-tbody tr.ant-table-row').first().getByRole('button', { name: /Word/ }).click(),
  ]);
  if (!download.suggestedFilename().endsWith('.docx')) throw new Error(`downloaded ${download.suggestedFilename()}`);
  console.log(`     meeting report downloaded as ${download.suggestedFilename()}`);
  await screenshot(page, { path: join(ARTIFACTS, 'meetings.png'), fullPage: true });
});

/** The project's Python (it has openpyxl): fills in a downloaded template as a clerk would in Excel. */
const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PYTHON = process.env.E2E_PYTHON ?? (existsSync(join(REPO, '.venv/bin/python')) ? join(REPO, '.venv/bin/python') : 'python3');
const FILL_TEMPLATE = `
import sys
from openpyxl import load_workbook
source, target, *titles = sys.argv[1:]
book = load_workbook(source)
sheet = book.worksheets[0]
headers = [c.value for c in sheet[1]]
for n, title in enumerate(titles, start=1):
    row = {"序号": n, "问题*": title, "原因": "E2E 原因", "措施": "E2E 措施"}
    sheet.append([row.get(h) for h in headers])
book.save(target)
`;
const scratch = mkdtempSync(join(tmpdir(), 'rectify-e2e-'));

/** Whether the page is wider than its window (a phone must never scroll sideways). */
async function wider(page) {
  return page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
}

await step('office-imports-the-template-back', OFFICE, async (page) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await visit(page, `/issues`);
  await page.getByTestId('ledger-import').click();
  await page.getByTestId('import-page').waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('import-template').click()]);
  if (!download.suggestedFilename().endsWith('.xlsx')) throw new Error(`template saved as ${download.suggestedFilename()}`);
  const template = join(scratch, 'template.xlsx');
  const filled = join(scratch, '整改台账.xlsx');
  await download.saveAs(template);
  const tag = `E2E 导入 ${Date.now()}`;
  execFileSync(PYTHON, ['-c', FILL_TEMPLATE, template, filled, `${tag} 一`, `${tag} 二`]);
  await page.locator('[data-testid=import-page] input[type=file]').setInputFiles(filled);
  await page.getByTestId('import-summary').waitFor();
  const summary = await page.getByTestId('import-summary').innerText();
  if (!/共 2 行/.test(summary) || !/新增 2/.test(summary)) throw new Error(`the preview says ${summary}`);
  await screenshot(page, { path: join(ARTIFACTS, 'import-preview.png'), fullPage: true });
  await page.getByTestId('import-write').click();
  const result = page.getByTestId('import-result');
  await result.waitFor({ timeout: 30_000 });
  if (!/新增 2 条/.test(await result.innerText())) throw new Error(`the import says ${await result.innerText()}`);
  await page.getByRole('button', { name: '查看台账' }).click();
  await page.getByPlaceholder('搜索编号、标题或内容').fill(tag);
  await page.getByPlaceholder('搜索编号、标题或内容').press('Enter');
  await page.waitForFunction(() => /共 2 条/.test(document.querySelector('[data-testid=issue-total]')?.textContent ?? ''));
  for (const title of [`${tag} 一`, `${tag} 二`]) await page.getByText(title).first().waitFor();
});

await step('office-previews-and-imports-a-campaign-file', OFFICE, async (page) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  // The demo's own file under a new code, a year ahead of today (nothing overdue, nothing escalates).
  const code = `E${Date.now().toString(36).toUpperCase()}`.slice(0, 10);
  const year = String(new Date().getFullYear() + 1);
  const text = readFileSync(join(REPO, 'campaigns', 'hebei-2017.yaml'), 'utf8')
    .replace(/^ {2}code: YS\b.*$/m, `  code: ${code}`)
    .replace(/^ {2}name: (.*)$/m, `  name: $1（${code}）`)
    .replaceAll('2017-', `${year}-`);
  const file = join(scratch, `${code}.yaml`);
  writeFileSync(file, text);
  await visit(page, `/issues`);
  await page.getByTestId('ledger-import').click();
  await page.getByRole('tab', { name: '专项行动定义文件' }).click();
  await page.locator('[data-testid=campaign-import-page] input[type=file]').setInputFiles(file);
  const summary = page.getByTestId('campaign-preview-summary');
  await summary.waitFor();
  const said = await summary.innerText();
  const tasks = Number(/任务 (\d+)/.exec(said)?.[1] ?? 0);
  if (!tasks || !/问题 0/.test(said) || !/新建单位 0/.test(said)) throw new Error(`the preview says ${said}`);
  await screenshot(page, { path: join(ARTIFACTS, 'campaign-import-preview.png'), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByTestId('campaign-import-write').scrollIntoViewIfNeeded();
  if (await wider(page)) throw new Error('the campaign preview is wider than a phone');
  await screenshot(page, { path: join(ARTIFACTS, 'phone-campaign-import-preview.png'), fullPage: true });
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.getByTestId('campaign-import-write').click();
  const result = page.getByTestId('campaign-import-result');
  await result.waitFor({ timeout: 30_000 });
  const answer = await result.innerText();
  if (!answer.includes(`登记并交办任务 ${tasks} 项`)) throw new Error(`the import says ${answer}`);
  await page.getByTestId('campaign-import-ledger').click();
  await page.waitForFunction(
    (n) => new RegExp(`共 ${n} 条`).test(document.querySelector('[data-testid=issue-total]')?.textContent ?? ''),
    tasks,
  );
  // the ledger is filtered by the campaign's id, and its filter bar names the campaign
  await page.waitForFunction(
    (c) =>
      (document.querySelector('[data-testid=ledger-campaign-filter] .ant-select-selection-item')?.textContent ?? '').includes(
        `（${c}）`,
      ),
    code,
  );
});

await step('unit-files-its-self-inspection-list-at-once', UNIT, async (page) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await visit(page, `/issues`);
  await page.getByTestId('self-inspection-batch').click();
  const dialog = page.getByRole('dialog');
  const tag = `E2E 自查 ${Date.now()}`;
  // the second row lacks its measures: the preview says so, in red, and nothing can be filed
  await dialog.getByTestId('batch-paste').fill(`${tag} 一\t原因一\t措施一\n${tag} 二\t原因二\t`);
  await dialog.getByTestId('batch-check').click();
  await dialog.getByText('须填写整改措施').waitFor();
  if (await dialog.getByTestId('batch-submit').isEnabled()) throw new Error('rows with errors can be filed');
  await screenshot(page, { path: join(ARTIFACTS, 'self-inspection-batch-errors.png') });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(300);
  if (await wider(page)) throw new Error('the bulk entry dialog scrolls sideways at 390 px');
  await screenshot(page, { path: join(ARTIFACTS, 'self-inspection-batch-phone.png') });
  await dialog.getByTestId('batch-paste').fill(`${tag} 一\t原因一\t措施一\n${tag} 二\t原因二\t措施二`);
  await dialog.getByTestId('batch-check').click();
  await dialog.getByText('新增 2').waitFor();
  await dialog.getByTestId('batch-submit').click();
  await dialog.waitFor({ state: 'hidden' });
  const me = await api(page, '/api/v1/auth/me');
  const filed = await api(page, `/api/v1/issues?q=${encodeURIComponent(tag)}&limit=10`);
  const wrong = filed.items.filter((i) => i.status !== 'registered' || i.source !== 'self_inspection' || i.lead_unit_id !== me.unit_id);
  if (filed.total !== 2 || wrong.length) throw new Error(`${filed.total} filed, ${wrong.length} not waiting on the unit's list`);
});

await step('unit-uploads-evidence-with-a-progress-bar', UNIT, async (page) => {
  const me = await api(page, '/api/v1/auth/me');
  const working = await api(page, `/api/v1/issues?status=in_progress&unit_id=${me.unit_id}&limit=50`);
  const issue = working.items.find((i) => i.lead_unit_id === me.unit_id);
  if (!issue) throw new Error(`${UNIT_USER} leads no issue in progress`);
  await visit(page, `/issues/${issue.id}`);
  const evidence = page.getByTestId('issue-evidence');
  await evidence.waitFor();
  await evidence.locator('.ant-select').click();
  await page.locator('.ant-select-dropdown .ant-select-item-option', { hasText: '进展佐证' }).click();
  // 512 KB through an upload throttled to 256 KB/s: two seconds to watch the bar move
  const name = `整改进展佐证-${Date.now()}.pdf`;
  const file = join(scratch, name);
  writeFileSync(file, Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(512 * 1024, 0x20), Buffer.from('\n%%EOF\n')]));
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 256 * 1024 });
  await evidence.locator('input[type=file]').setInputFiles(file);
  const bar = page.getByTestId('evidence-progress');
  await bar.waitFor();
  await screenshot(page, { path: join(ARTIFACTS, 'evidence-progress.png') });
  await bar.waitFor({ state: 'detached', timeout: 30_000 });
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  await cdp.detach();
  const row = evidence.locator('.ant-list-item', { hasText: name });
  await row.waitFor();
  if (!(await row.innerText()).includes('进展佐证')) throw new Error('the file is not listed as progress evidence');
  const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('button', { name: /下\s*载/ }).click()]);
  if (download.suggestedFilename() !== name) throw new Error(`downloaded as ${download.suggestedFilename()}, not ${name}`);
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
  await screenshot(page, { path: join(ARTIFACTS, 'submitted.png'), fullPage: true });
  await page.goto(`${BASE}/track/${encodeURIComponent(code)}`);
  await page.locator('[data-testid=public-status]').waitFor();
  const status = (await page.locator('[data-testid=public-status]').innerText()).trim();
  if (status !== '已提交') throw new Error(`a new submission shows status ${status}`);
  await screenshot(page, { path: join(ARTIFACTS, 'track.png'), fullPage: true });
});

for (const page of kept.values()) await page.context().close();
await browser.close();
const failed = results.filter((r) => !r.ok).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);

#!/usr/bin/env node
/**
 * The staff app as each role meets it, at 1440×900 and on a phone at 390×844, against a running Rectify
 * (gateway serving the built SPA; changes data). For unit (KJT-GX), office and leader (and admin's own pages):
 * - each lands on its page after signing in (/workbench, /desk, /cockpit, /admin);
 * - on no page at 390 px is the document wider than the screen (every route the role has);
 * - a zh-CN sweep of every route, with date pickers opened and an empty table shown, finds no English string of
 *   the UI library ("Select date", "No data", "Today", "items/page", "Su Mo", "Dec" …) and no internal code;
 * - a unit clerk takes every unit step on the phone: 接收, 报送进展, 申请延期, 提交办结, and 签收 of a 督办 notice.
 * One browser, one sign-in per role. Usage:
 *   E2E_BASE_URL=http://127.0.0.1:8000 npm run e2e:roles
 * Needs Debian's Chromium at /usr/bin/chromium (or CHROMIUM_PATH). Screenshots: e2e/artifacts/roles-*.png
 * (a failing check's always; the others with E2E_SCREENSHOTS=1).
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { artifactsDir, baseUrl, launchChromium, screenshot, signIn } from './support.mjs';

const BASE = baseUrl('npm run e2e:roles');
const PASSWORD = process.env.E2E_PASSWORD ?? 'demo12345';
const ARTIFACTS = artifactsDir();
// a failure's screenshot is of this run only
for (const f of readdirSync(ARTIFACTS)) if (/^roles-.*-failure\.png$/.test(f)) rmSync(join(ARTIFACTS, f));

const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

/** Where each role lands (CONTRACTS.md, "Role landing") and the routes it has besides. `:id` is one of its issues. */
const ROLES = [
  {
    name: 'unit',
    user: process.env.E2E_UNIT_USER ?? 'KJT-GX',
    landing: '/workbench',
    routes: ['/issues', '/issues/:id', '/reports', '/escalations', '/notifications'],
  },
  {
    name: 'office',
    user: 'office',
    landing: '/desk',
    routes: [
      '/issues',
      '/issues/:id',
      '/issues/new',
      '/issues/:id/edit',
      '/intake',
      '/reports',
      '/reports/meetings',
      '/escalations',
      '/notifications',
      '/admin/webhooks',
      '/admin/deliveries',
      '/admin/escalation-policies',
      '/admin/channels',
      '/admin/audit',
    ],
  },
  {
    name: 'leader',
    user: 'leader',
    landing: '/cockpit',
    routes: ['/issues', '/issues/:id', '/reports', '/reports/meetings', '/escalations', '/notifications'],
  },
  // the administrator's own pages (the other roles have none of them)
  { name: 'admin', user: 'admin', landing: '/admin', routes: ['/admin/users', '/admin/units', '/admin/clients', '/admin/calendar'] },
];

/** The UI library's English strings (antd's en_US, dayjs' en) that must not show in the Chinese UI. */
const ENGLISH = [
  /Select (date|time|week|month|quarter|year)/,
  /\b(Start|End) (date|time)\b/,
  /\bToday\b/,
  /\bNo data\b/,
  /\/ ?page\b/,
  /\bGo to\b|\bJump to\b/,
  /\b(Previous|Next) (Page|Month|Year|5 Pages)\b/,
  /\bSu\b[\s\S]{0,4}\bMo\b/,
  /\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b/,
  /\bClick to sort\b|\bExpand row\b|\bSelect all\b|\bFilter menu\b/,
  /\b(Cancel|Reset|Search|Upload|Remove file)\b/,
];
/** Codes and wordings the people using the app must never see. */
const INTERNAL = [/\bnot-accepted\b|\bno-progress\b|\bnear-due\b/, /数据截至事件/, /\b(assigned|in_progress|pending_review|registered)\b/];

const browser = await launchChromium();

const results = [];
/** Run one check on a page; a failure is reported with a screenshot and the run goes on. */
async function check(page, name, fn) {
  const started = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    results.push({ name, ok: false });
    console.log(`FAIL ${name}: ${error instanceof Error ? error.message : String(error)}`);
    const shown = await page
      .locator('.ant-message-notice, .ant-notification-notice, .ant-form-item-explain-error, .ant-alert')
      .allInnerTexts()
      .catch(() => []);
    for (const line of shown) console.log(`     shown: ${line.replace(/\s+/g, ' ').trim()}`);
    await page.screenshot({ path: join(ARTIFACTS, `roles-${name.replace(/[^\w-]+/g, '_')}-failure.png`), fullPage: true }).catch(() => undefined);
  }
}

/**
 * GET an API path as the signed-in user. The SPA keeps its token in memory: this one comes from the session
 * cookie, once per page (sign-in and refresh are rate-limited), and again only when it has expired.
 */
async function api(page, path) {
  return page.evaluate(async (p) => {
    const token = async (fresh) => {
      if (!fresh && window.__e2eToken) return window.__e2eToken;
      const session = await fetch('/api/v1/auth/refresh', { method: 'POST' });
      if (!session.ok) throw new Error(`refresh: ${session.status}`);
      window.__e2eToken = (await session.json()).access_token;
      return window.__e2eToken;
    };
    let response = await fetch(p, { headers: { Authorization: `Bearer ${await token(false)}` } });
    if (response.status === 401) response = await fetch(p, { headers: { Authorization: `Bearer ${await token(true)}` } });
    if (!response.ok) throw new Error(`${p}: ${response.status}`);
    return response.json();
  }, path);
}

/** Wait until the page has drawn its data: no spinner or skeleton for a moment. */
async function settled(page) {
  await page
    .waitForFunction(
      () => {
        const busy = document.querySelector('.ant-spin-spinning, .ant-skeleton-active, .ant-btn-loading');
        const now = Date.now();
        if (busy || window.__quietSince === undefined) window.__quietSince = now;
        return !busy && now - window.__quietSince > 250;
      },
      null,
      { timeout: 10_000, polling: 100 },
    )
    .catch(() => undefined);
}

/** Go to a route inside the app as a click on a link would (no reload: the session and the caches stay). */
async function visit(page, route) {
  await page.evaluate((r) => {
    // what the page shows now, to know when the next one has replaced it
    for (const el of document.querySelectorAll('main > *, .ant-result')) el.setAttribute('data-stale', '');
    window.__quietSince = undefined;
    window.history.pushState({}, '', r);
    window.dispatchEvent(new PopStateEvent('popstate'));
  }, route);
  // the same page with other filters keeps its elements: then only the data changes
  await page.waitForFunction(() => !document.querySelector('[data-stale]'), null, { timeout: 3000, polling: 50 }).catch(() => undefined);
  await settled(page);
  const at = new URL(page.url());
  if (at.pathname === '/login') throw new Error(`${route} sent the user to the login page`);
  const wanted = new URL(route, 'http://x').pathname;
  if (!at.pathname.startsWith(wanted)) throw new Error(`${route} went on to ${at.pathname}`);
}

/** Every text a person can meet on the page: what shows, placeholders, titles and labels of controls. */
async function pageTexts(page) {
  return page.evaluate(() => {
    const attrs = [...document.querySelectorAll('[placeholder], [title], [aria-label]')].flatMap((el) =>
      ['placeholder', 'title', 'aria-label'].map((a) => el.getAttribute(a) ?? ''),
    );
    return [document.body.innerText, ...attrs].join('\n');
  });
}

function findAll(patterns, text) {
  return patterns.flatMap((re) => {
    const m = re.exec(text);
    return m ? [m[0]] : [];
  });
}

/** Open the page's date pickers one by one (their panels hold most of the library's strings) and read them. */
async function pickerTexts(page) {
  const texts = [];
  const pickers = page.locator('.ant-picker:visible');
  const count = Math.min(await pickers.count(), 3);
  for (let i = 0; i < count; i += 1) {
    await pickers.nth(i).click();
    const panel = page.locator('.ant-picker-dropdown:not(.ant-picker-dropdown-hidden)').last();
    await panel.waitFor({ timeout: 3000 }).catch(() => undefined);
    texts.push(await panel.innerText().catch(() => ''));
    await page.keyboard.press('Escape');
  }
  return texts.join('\n');
}

/** The zh-CN sweep of the page as it is now: no English string of the UI library, no internal code. */
async function assertChinese(page, where, { pickers = true } = {}) {
  const text = (await pageTexts(page)) + (pickers ? `\n${await pickerTexts(page)}` : '');
  const english = findAll(ENGLISH, text);
  if (english.length) throw new Error(`${where}: English UI text ${JSON.stringify(english)}`);
  const internal = findAll(INTERNAL, text);
  if (internal.length) throw new Error(`${where}: internal codes shown ${JSON.stringify(internal)}`);
}

/** On a phone nothing scrolls sideways: neither the document nor a table or a box inside it. */
async function assertFits(page, where) {
  const found = await page.evaluate(() => {
    const name = (el) => `${el.tagName.toLowerCase()}${[...el.classList].filter((c) => !c.startsWith('css-')).map((c) => `.${c}`).join('')}`;
    const doc = document.documentElement;
    const out = [];
    if (doc.scrollWidth > window.innerWidth) {
      const sticking = [...document.querySelectorAll('body *')].filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1);
      out.push(`the document is ${doc.scrollWidth} px wide on a ${window.innerWidth} px screen (${sticking.slice(-3).map(name).join(', ')})`);
    }
    for (const el of document.querySelectorAll('body *')) {
      const overflow = getComputedStyle(el).overflowX;
      if ((overflow === 'auto' || overflow === 'scroll') && el.scrollWidth > el.clientWidth + 1 && el.getClientRects().length > 0) {
        out.push(`${name(el)} scrolls sideways (${el.scrollWidth} px in ${el.clientWidth} px)`);
      }
    }
    return out.slice(0, 4);
  });
  if (found.length) throw new Error(`${where}: ${found.join('; ')}`);
}

async function login(page, user) {
  await signIn(page, BASE, user, PASSWORD);
  await page.waitForURL((url) => url.pathname !== '/login');
}

async function newPage(viewport) {
  // Without motion a dialog is whole the moment it shows (see smoke.mjs). A phone has overlay scrollbars.
  const phone = viewport.width < 576 ? { isMobile: true, hasTouch: true } : {};
  const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai', viewport, reducedMotion: 'reduce', ...phone });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (e) => console.log(`     page error: ${e.message}`));
  return { context, page };
}

/** One of the role's issues: for the detail and edit pages. */
async function someIssue(page) {
  const listed = await api(page, '/api/v1/issues?limit=1');
  if (!listed.items[0]) throw new Error('the role sees no issue');
  return listed.items[0].id;
}

/** A dialog's primary button (its label may change: 提交, 确定 …), in the full-screen dialog of a phone. */
function primaryOf(dialog) {
  return dialog.locator('.ant-modal-footer .ant-btn-primary, .ant-drawer-footer .ant-btn-primary').last();
}

/** Open a step's dialog from the issue page, let `fill` fill it, check it fits and submit it. */
async function takeStep(page, button, shot, fill = async () => undefined) {
  await page.getByRole('button', { name: button }).first().click();
  const dialog = page.locator('.ant-modal-wrap:visible .ant-modal').last();
  await dialog.waitFor();
  const box = await dialog.boundingBox();
  if (!box || box.width < PHONE.width - 1) throw new Error(`the dialog is ${box?.width} px wide, not the whole screen`);
  await fill(dialog);
  await assertFits(page, shot);
  await screenshot(page, { path: join(ARTIFACTS, `roles-unit-phone-${shot}.png`) });
  await primaryOf(dialog).click();
  await dialog.waitFor({ state: 'hidden' });
}

/** The timeline's event types of an issue, newest last. */
async function timelineTypes(page, id) {
  return (await api(page, `/api/v1/issues/${id}/timeline`)).items.map((e) => e.type);
}

/** The unit clerk's every step, on the phone: 接收, 报送进展, 申请延期, 提交办结, 签收 of a 督办 notice. */
async function unitSteps(page) {
  const me = await api(page, '/api/v1/auth/me');
  const assigned = await api(page, '/api/v1/issues?status=assigned&limit=200');
  // one without co-units: 提交办结 waits for every co-unit's part
  const issue = assigned.items.find((i) => i.lead_unit_id === me.unit_id && i.co_unit_ids.length === 0);
  await check(page, 'unit-phone-accepts', async () => {
    if (!issue) throw new Error(`no issue waits for ${me.username} to accept`);
    await visit(page, `/issues/${issue.id}`);
    await takeStep(page, /^接\s*收$/, 'accept');
    await eventually(async () => (await api(page, `/api/v1/issues/${issue.id}`)).status === 'in_progress');
  });
  await check(page, 'unit-phone-reports-progress', async () => {
    await takeStep(page, /报送进展/, 'progress', async (dialog) => {
      await dialog.locator('textarea').first().fill('已完成窗口人员培训，整改过半。');
      await dialog.locator('.ant-input-number input').first().fill('60');
    });
    await eventually(async () => (await timelineTypes(page, issue.id)).includes('issue.progress_reported'));
  });
  await check(page, 'unit-phone-requests-an-extension', async () => {
    const now = await api(page, `/api/v1/issues/${issue.id}`);
    const later = new Date(Date.parse(now.deadline ?? new Date().toISOString().slice(0, 10)) + 20 * 86_400_000).toISOString().slice(0, 10);
    await takeStep(page, /申请延期/, 'extension', async (dialog) => {
      const picker = dialog.locator('.ant-picker').first();
      await picker.click();
      const panel = page.locator('.ant-picker-dropdown:not(.ant-picker-dropdown-hidden)').last();
      await panel.waitFor();
      // the open calendar leaves the dialog's submit button in sight and in reach
      const [a, b] = [await panel.boundingBox(), await primaryOf(dialog).boundingBox()];
      if (a && b && a.y < b.y + b.height && b.y < a.y + a.height && a.x < b.x + b.width && b.x < a.x + a.width) {
        await page.screenshot({ path: join(ARTIFACTS, 'roles-unit-phone-extension-picker.png') });
        throw new Error('the open date picker covers the submit button');
      }
      await screenshot(page, { path: join(ARTIFACTS, 'roles-unit-phone-extension-picker.png') });
      await picker.locator('input').fill(later);
      await picker.locator('input').press('Enter');
      await dialog.locator('textarea').first().fill('需协调省级部门联合验收，申请延期。');
    });
    await eventually(async () => (await timelineTypes(page, issue.id)).includes('issue.extension_requested'));
  });
  await check(page, 'unit-phone-submits-completion', async () => {
    await takeStep(page, /提交办结|提交完成/, 'completion', async (dialog) => {
      await dialog.locator('textarea').first().fill('整改措施已全部落实，材料已上传。');
    });
    await eventually(async () => (await api(page, `/api/v1/issues/${issue.id}`)).status === 'pending_review');
    await screenshot(page, { path: join(ARTIFACTS, 'roles-unit-phone-issue-after-steps.png'), fullPage: true });
  });
  await check(page, 'unit-phone-signs-a-notice', async () => {
    // notify-api may still be reading the demo's history on a fresh system
    const notice = await eventually(
      async () => (await api(page, '/api/v1/escalations?awaiting_acknowledgement=true&limit=1')).items[0],
      60,
      'a 督办 notice for the unit to sign',
    );
    await visit(page, '/escalations');
    const card = page.locator('.ant-card', { hasText: notice.number });
    await card.getByRole('button', { name: /阅读并签收/ }).click();
    const drawer = page.locator('.ant-drawer-content').last();
    await drawer.getByTestId('notice-text').waitFor();
    await assertFits(page, 'notice');
    await screenshot(page, { path: join(ARTIFACTS, 'roles-unit-phone-notice.png') });
    await drawer.getByRole('button', { name: /^签\s*收$/ }).click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: /^确\s*定$/ }).click();
    await drawer.waitFor({ state: 'hidden' });
    await eventually(async () => {
      const signed = await api(page, `/api/v1/escalations?issue_id=${notice.issue_id}`);
      return signed.items.find((e) => e.id === notice.id)?.acknowledged_at;
    });
  });
}

/** Poll `probe` (async, truthy when done) for up to `seconds`. */
async function eventually(probe, seconds = 20, what = 'condition') {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const found = await probe();
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`${what} not reached in ${seconds} s`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

// E2E_ROLES=unit,office runs only those roles (while working on their pages)
const only = process.env.E2E_ROLES?.split(',');
for (const role of ROLES.filter((r) => !only || only.includes(r.name))) {
  const { context, page } = await newPage(DESKTOP);
  await check(page, `${role.name}-lands-on-${role.landing}`, async () => {
    await login(page, role.user);
    const landed = new URL(page.url()).pathname;
    if (!landed.startsWith(role.landing)) throw new Error(`${role.user} landed on ${landed}`);
    await settled(page);
    await screenshot(page, { path: join(ARTIFACTS, `roles-${role.name}-landing.png`), fullPage: true });
  });
  if (!results.at(-1).ok) await login(page, role.user).catch(() => undefined);
  const issueId = role.routes.some((r) => r.includes(':id')) ? await someIssue(page) : null;
  const routes = [role.landing, ...role.routes].map((r) => r.replace(':id', issueId));

  // the zh-CN sweep at the desktop's size: full tables with their pagination, date pickers
  for (const route of routes) {
    await check(page, `${role.name}-zh-cn-1440 ${route}`, async () => {
      await visit(page, route);
      await assertChinese(page, route);
    });
  }
  // an empty table says so in Chinese
  await check(page, `${role.name}-zh-cn-empty-ledger`, async () => {
    await visit(page, `/issues?q=${encodeURIComponent('没有这样的问题-zz9')}`);
    await page.locator('.ant-table-placeholder, .ant-list-empty-text').first().waitFor();
    await assertChinese(page, 'empty ledger', { pickers: false });
  });

  await context.close();

  // the phone: it lands on the same page, every route fits the screen and stays Chinese
  const phone = await newPage(PHONE);
  await check(phone.page, `${role.name}-phone-lands-on-${role.landing}`, async () => {
    await login(phone.page, role.user);
    const landed = new URL(phone.page.url()).pathname;
    if (!landed.startsWith(role.landing)) throw new Error(`${role.user} landed on ${landed}`);
  });
  for (const route of routes) {
    await check(phone.page, `${role.name}-phone-390 ${route}`, async () => {
      await visit(phone.page, route);
      const shot = route === role.landing ? '' : `-${route.replace(/\/[0-9a-f-]{36}/, '/item').replace(/[^a-z]+/g, '-').replace(/^-|-$/g, '')}`;
      await screenshot(phone.page, { path: join(ARTIFACTS, `roles-${role.name}-phone${shot}.png`), fullPage: true });
      await assertFits(phone.page, route);
      await assertChinese(phone.page, route, { pickers: false });
    });
  }
  await check(phone.page, `${role.name}-phone-menu`, async () => {
    await phone.page.getByRole('button', { name: /菜\s*单/ }).click();
    const drawer = phone.page.locator('.ant-drawer-content').last();
    const entries = drawer.getByRole('menuitem');
    await entries.first().waitFor();
    const labels = (await entries.allInnerTexts()).map((l) => l.trim());
    if (labels.some((l) => !l)) throw new Error(`a menu entry without a label: ${JSON.stringify(labels)}`);
    const box = await drawer.boundingBox();
    if (!box || box.x + box.width > PHONE.width) throw new Error('the menu is wider than the screen');
    await screenshot(phone.page, { path: join(ARTIFACTS, `roles-${role.name}-phone-menu.png`) });
    await phone.page.keyboard.press('Escape');
  });
  if (role.name === 'unit') await unitSteps(phone.page);
  await phone.context.close();
}

await browser.close();
const failed = results.filter((r) => !r.ok).length;
console.log(`${results.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);

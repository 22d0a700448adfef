/**
 * What every browser script shares: the running Rectify it drives, Debian's Chromium, where pictures go, signing in.
 * Never downloads a browser: Chromium comes from /usr/bin/chromium (or CHROMIUM_PATH).
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

/** The gateway serving the built SPA (E2E_BASE_URL); without it the script says how to run it and exits. */
export function baseUrl(command) {
  const base = process.env.E2E_BASE_URL;
  if (!base) {
    console.error(`Set E2E_BASE_URL, e.g. E2E_BASE_URL=http://127.0.0.1:8000 ${command}`);
    process.exit(2);
  }
  return base;
}

/** e2e/artifacts (or a folder below it), created when missing. */
export function artifactsDir(...below) {
  const dir = join(dirname(fileURLToPath(import.meta.url)), 'artifacts', ...below);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Pictures of pages that passed are for a person looking at the UI, taken only with E2E_SCREENSHOTS=1: no check
 * reads them, and each costs Chromium a paint and a PNG encoding (a full page's, hundreds of ms of CPU), dozens per
 * run of the system tests. A failing step's picture is always taken (page.screenshot beside its report).
 */
export const SCREENSHOTS = Boolean(process.env.E2E_SCREENSHOTS);

export async function screenshot(page, options) {
  if (SCREENSHOTS) await page.screenshot(options);
}

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Sign in on the login page and wait for the app's header; answers the login page's response. */
export async function signIn(page, base, username, password) {
  const response = await page.goto(`${base}/login`);
  await page.fill('#username', username);
  await page.fill('#password', password);
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-testid=current-user]');
  return response;
}

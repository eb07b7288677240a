/**
 * Page helpers for the console's Chromium tests: log in as a staff member (errors thrown in the page
 * and CSP violations collected), and run axe-core (from node_modules, evaluated in the page: the
 * console's CSP allows no injected script tag) for its serious and critical violations.
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';

export interface ConsolePage {
  page: Page;
  /** Uncaught page errors and CSP violations; a test fails if any appear. */
  errors: string[];
}

export interface ConsolePageOptions {
  viewport?: { width: number; height: number };
  locale?: string;
  /** Runs before the page loads (e.g. an init script). */
  beforeLoad?: (page: Page) => Promise<unknown>;
}

export async function openConsole(browser: Browser, url: string, id: string, password: string, opts: ConsolePageOptions = {}): Promise<ConsolePage> {
  const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1280, height: 900 }, locale: opts.locale ?? 'en-US' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) errors.push(m.text());
  });
  await opts.beforeLoad?.(page);
  await page.goto(`${url}/console/`);
  await page.fill('#login-agent', id);
  await page.fill('#login-password', password);
  await page.click('#login-form button[type=submit]');
  await page.locator('#live[data-state="live"]').waitFor();
  return { page, errors };
}

let axeSource: string | undefined;

/** axe-core's serious and critical violations on the page as it is now, as "rule: target" lines. */
export async function axeViolations(page: Page): Promise<string[]> {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axeSource);
  const found = await page.evaluate(async () => {
    const axe = (
      window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: Array<{ id: string; impact?: string; nodes: Array<{ target: unknown[] }> }> }> } }
    ).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => String(n.target)).join(', ')}`);
  });
  return found;
}

/** How much wider than the viewport the page is (0: no horizontal overflow). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/**
 * The console's Experiments view in real Chromium against the real app with an EXPERIMENTS_FILE:
 * a supervisor sees the per-variant figures and "not enough data yet", switches to Chinese, rolls a
 * variant out (the server agrees, the buttons go), with no serious axe-core violations; agents get
 * no Experiments tab.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from '../support/browser';
import { createKeywordClassifier } from '../support/keyword-classifier';
import { postMessage, type RunningApp, startApp } from '../support/server';

const EXPERIMENT = { id: 'greeting-style', minSample: 50, variants: [{ id: 'classic' }, { id: 'short', texts: { greeting: { en: { welcome: 'Hi! Short welcome.' } } } }] };

async function seriousAxeViolations(page: Page): Promise<string[]> {
  await page.evaluate(readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')); // evaluated, not a script tag: the page's CSP allows no inline script
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Element): Promise<{ violations: Array<{ id: string; impact?: string; nodes: Array<{ target: string[] }> }> }> } }).axe;
    const r = await axe.run(document.getElementById('insights') as Element);
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

describe('console Experiments view (Chromium)', function () {
  this.timeout(60_000);
  let s: RunningApp;
  let browser: Browser;
  const pageErrors: string[] = [];

  async function pageAs(id: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    const page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${s.url}/console/`);
    await page.fill('#login-agent', id);
    await page.fill('#login-password', `${id}-pass-12345`);
    await page.click('#login-form button[type=submit]');
    await page.locator('#app').waitFor();
    return page;
  }

  before(async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kefu-exp-')), 'experiments.json');
    writeFileSync(file, JSON.stringify({ experiments: [EXPERIMENT] }));
    s = await startApp({ EXPERIMENTS_FILE: file }, { classifier: createKeywordClassifier() });
    for (let i = 0; i < 8; i++) await postMessage(s.url, { conversationId: `b-${i}`, text: 'hello' });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await s?.stop();
  });

  it('an agent has no Experiments tab', async () => {
    const page = await pageAs('wang');
    assert.equal(await page.locator('#tab-experiments').isHidden(), true);
    await page.context().close();
  });

  it('a supervisor sees the figures per variant, "not enough data yet", in both languages, and rolls a variant out', async () => {
    const page = await pageAs('lilei');
    await page.click('#tab-experiments');
    const card = page.locator('section[data-experiment="greeting-style"]');
    await card.waitFor();
    const counts = await card.locator('tbody tr').evaluateAll((rows) => rows.map((r) => Number(r.querySelectorAll('td')[0]?.textContent)));
    assert.equal(
      counts.reduce((a, b) => a + b, 0),
      8,
      'every conversation is in one variant',
    );
    assert.match((await card.locator('.experiment__verdict').textContent()) ?? '', /Not enough data yet: 50 conversations/);
    assert.deepEqual(await seriousAxeViolations(page), []);

    await page.click('#ui-lang');
    await page.locator('#tab-experiments', { hasText: '实验' }).waitFor();
    // The cards are drawn again in Chinese after the tab label: wait for the verdict, do not read it at once.
    await card.locator('.experiment__verdict', { hasText: '数据不足' }).waitFor({ timeout: 5_000 });
    await page.click('#ui-lang');

    await card.locator('button[data-action="rollout"][data-variant="short"]').click();
    await page.locator('section[data-experiment="greeting-style"] h2', { hasText: 'rolled out: short' }).waitFor();
    assert.equal(await page.locator('section[data-experiment="greeting-style"] button[data-action]').count(), 0, 'final: no more buttons');
    const listed = await page.evaluate(
      async () => (await (await fetch('/console/api/experiments')).json()) as { experiments: Array<{ status: { state: string; variant?: string } }> },
    );
    assert.deepEqual(listed.experiments[0]?.status, { ...listed.experiments[0]?.status, state: 'rolled-out', variant: 'short' });
    assert.deepEqual(pageErrors, []);
  });
});

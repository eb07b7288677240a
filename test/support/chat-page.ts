/** Page helpers for the web chat browser tests: what a customer does and sees, by role and class. */
import { readFileSync } from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { IntentClassifier } from '../../core';

export interface ChatPage {
  context: BrowserContext;
  page: Page;
  /** Errors thrown in the page (uncaught); a test fails if any appear. */
  errors: string[];
}

export interface OpenChatOptions {
  viewport?: { width: number; height: number };
  /** Runs before the page loads (e.g. to route requests). */
  beforeLoad?: (page: Page) => Promise<unknown>;
}

export async function openChat(browser: Browser, url: string, opts: OpenChatOptions = {}): Promise<ChatPage> {
  const context = await browser.newContext({ viewport: opts.viewport ?? { width: 1000, height: 800 }, locale: 'en-US' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // The server's CSP allows no inline code: anything the page does that it blocks shows up here.
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) errors.push(m.text());
  });
  await opts.beforeLoad?.(page);
  await page.goto(url);
  await page.locator('.msg--welcome').waitFor();
  return { context, page, errors };
}

/** Types into the message box and presses Enter, as a customer would. */
export async function typeAndEnter(page: Page, text: string): Promise<void> {
  await page.getByLabel(/Your message|您的消息/).fill(text);
  await page.getByLabel(/Your message|您的消息/).press('Enter');
}

/** Waits until there are `n` bot replies (the welcome not counted) and returns the last one's text. */
export async function nthBotReply(page: Page, n: number): Promise<string> {
  const replies = page.locator('.msg--bot:not(.msg--welcome) .msg__text');
  await replies.nth(n - 1).waitFor();
  return (await replies.nth(n - 1).textContent()) ?? '';
}

export async function conversationIdOf(page: Page): Promise<string> {
  return page.evaluate(() => localStorage.getItem('kefu.chat.conversationId') ?? '');
}

/**
 * Wraps a classifier so a test can hold turns while it looks at the page mid-request
 * (typing indicator), then let them through. Deterministic: no sleeps.
 */
export function createGatedClassifier(inner: IntentClassifier): { classifier: IntentClassifier; hold(): () => void } {
  let gate: Promise<void> | undefined;
  return {
    classifier: {
      async classify(text, locale) {
        await gate;
        return inner.classify(text, locale);
      },
    },
    hold() {
      let release = () => {};
      gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      return () => {
        gate = undefined;
        release();
      };
    },
  };
}

/** A solid-colour RGB PNG, for an image attachment served from a stand-in image host. */
export function solidPng(width: number, height: number, [r, g, b]: readonly [number, number, number]): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => [r, g, b]).flat())]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', pixels), chunk('IEND', Buffer.alloc(0))]);
}

let axeSource: string | undefined;

/**
 * axe-core's serious and critical violations on the page as it is now, as "rule: target" lines.
 * axe is evaluated in the page (the chat's CSP allows no injected script tag).
 */
export async function axeViolations(page: Page): Promise<string[]> {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  // A message fading in has, for a moment, too little contrast: look at the page once it is still.
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((a) => a.effect?.getComputedTiming().endTime !== Number.POSITIVE_INFINITY) // the typing dots blink for ever
        .map((a) => a.finished.catch(() => undefined)),
    ),
  );
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    type Result = { violations: Array<{ id: string; impact?: string | null; nodes: Array<{ target: unknown[] }> }> };
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<Result> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => String(n.target)).join(', ')}`);
  });
}

/** The header's status line (who answers now, or "Reconnecting…"). */
export function headerStatus(page: Page) {
  return page.locator('#status');
}

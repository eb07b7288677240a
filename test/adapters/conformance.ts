/**
 * One conformance suite for every platform adapter (BullMQ-style): each adapter test file calls
 * `runAdapterConformance(name, startHarness)` where the harness drives the real SDK against a local
 * server speaking the platform's protocol and records what the bot sent.
 */
import assert from 'node:assert/strict';
import { createEngine, createMemoryData, defineDialog, type Engine, type IntentClassifier, NONE_INTENT, type Repositories } from '../../core';

/** What the bot sent to the platform API, as the local platform server recorded it. */
export interface SentMessage {
  text: string;
  /** Labels of quick-reply buttons attached to the message. */
  buttons: string[];
  image?: boolean;
}

export interface AdapterHarness {
  /** Delivers a customer text exactly as the platform would (signed webhook POST, update, puppet event). */
  sendText(text: string, opts?: { id?: string }): Promise<void>;
  /** Delivers a customer photo/image message. Absent where the channel takes text only (the web chat). */
  sendImage?(): Promise<void>;
  /** Delivers a message type the adapter does not support (sticker, location, voice…). Absent where there is none. */
  sendUnknown?(): Promise<void>;
  /** The customer presses a quick-reply button whose payload is `payload`. */
  pressQuickReply(payload: string): Promise<void>;
  /** Delivers a text with a wrong signature/secret; resolves with the HTTP status. Absent where the platform has none. */
  sendWithBadSignature?(text: string): Promise<number>;
  /** Delivers the last message again with the same platform id (a platform retry). */
  redeliverLast(): Promise<void>;
  /** Everything the bot sent through the platform API, in order of success. */
  sent(): SentMessage[];
  /** Resolves once at least `count` messages were sent (rejects after a generous bound). */
  waitForSent(count: number): Promise<SentMessage[]>;
  /** The local platform server answers the next `times` send calls with this status. Absent where replies go back in the HTTP response. */
  failSends?(status: 429 | 500, times: number, retryAfterSeconds?: number): void;
  /** Send-call attempts the platform server received (including failed ones). */
  sendAttempts?(): number;
  /**
   * Stops the adapter and starts a fresh one (new SDK objects, nothing kept in memory) on the same
   * engine, as a process restart would. Absent where the harness cannot rebuild the platform side.
   */
  restart?(): Promise<void>;
  close(): Promise<void>;
}

/** A tiny, fully deterministic classifier for adapter tests: the adapter is under test, not the NLU. */
const keywordClassifier: IntentClassifier = {
  async classify(text) {
    const intent = /\bmenu\b|菜单/.test(text) ? 'menu' : NONE_INTENT;
    const score = intent === NONE_INTENT ? 0 : 1;
    return { intent, score, ranking: [{ intent, score }], entities: [] };
  },
};

const menu = defineDialog({
  id: 'menu',
  triggers: ['menu'],
  texts: { en: { pick: 'Pick a topic', orders: 'Orders' }, zh: { pick: '请选择', orders: '订单' } },
  run(ctx) {
    ctx.say('pick', {}, [{ label: ctx.t('orders'), payload: 'intent:orders' }]);
  },
});
const orders = defineDialog({
  id: 'orders',
  triggers: ['orders'],
  texts: { en: { hi: 'Orders dialog' }, zh: { hi: '订单对话' } },
  run(ctx) {
    ctx.say('hi');
  },
});
const fallback = defineDialog({
  id: 'fallback',
  triggers: [],
  texts: {
    en: { echo: 'You said: {text}', image: 'Got your image', other: 'Sorry, I can only read text and images' },
    zh: { echo: '你说：{text}', image: '收到图片', other: '抱歉，我只能读文字和图片' },
  },
  run(ctx) {
    const m = ctx.message;
    if (m.kind === 'image' || m.attachments.some((a) => a.kind === 'image')) ctx.say('image');
    else if (m.kind === 'unsupported' || !m.text) ctx.say('other');
    else ctx.say('echo', { text: m.text });
  },
});

/** The engine every adapter is tested against (`data`: shared by two engines, as by two instances or a restart). */
export function createConformanceEngine(data: Repositories = createMemoryData()): Engine {
  return createEngine({ classifier: keywordClassifier, dialogs: [menu, orders, fallback], data });
}

export function runAdapterConformance(name: string, start: (engine: Engine) => Promise<AdapterHarness>): void {
  describe(`${name} adapter conformance`, function () {
    this.timeout(20_000);
    let engine: Engine;
    let h: AdapterHarness;

    beforeEach(async () => {
      engine = createConformanceEngine();
      h = await start(engine);
    });
    afterEach(async () => {
      await h.close();
      await engine.close();
    });

    it('round-trips a text message', async () => {
      await h.sendText('hello there');
      const [first] = await h.waitForSent(1);
      assert.equal(first?.text, 'You said: hello there');
    });

    it('sends quick replies as buttons and handles a button press', async () => {
      await h.sendText('menu');
      const [menuMsg] = await h.waitForSent(1);
      assert.equal(menuMsg?.text, 'Pick a topic');
      assert.deepEqual(menuMsg?.buttons, ['Orders']);
      await h.pressQuickReply('intent:orders');
      const all = await h.waitForSent(2);
      assert.equal(all[1]?.text, 'Orders dialog');
    });

    it('takes an image in', async function () {
      if (!h.sendImage) this.skip();
      await h.sendImage?.();
      const [reply] = await h.waitForSent(1);
      assert.equal(reply?.text, 'Got your image');
    });

    it('rejects a bad signature and processes nothing', async function () {
      if (!h.sendWithBadSignature) this.skip();
      const status = await h.sendWithBadSignature?.('forged message');
      assert.ok(status === 401 || status === 403, `expected 401/403, got ${status}`);
      await h.sendText('genuine');
      const sent = await h.waitForSent(1);
      assert.deepEqual(
        sent.map((s) => s.text),
        ['You said: genuine'],
      );
    });

    it('answers a re-delivered message once', async () => {
      await h.sendText('only once');
      await h.waitForSent(1);
      await h.redeliverLast();
      await h.sendText('next one');
      const sent = await h.waitForSent(2);
      assert.deepEqual(
        sent.map((s) => s.text),
        ['You said: only once', 'You said: next one'],
      );
    });

    it('retries after a platform 429 with retry-after', async function () {
      if (!h.failSends || !h.sendAttempts) this.skip();
      h.failSends?.(429, 1, 1);
      await h.sendText('rate limited');
      const [reply] = await h.waitForSent(1);
      assert.equal(reply?.text, 'You said: rate limited');
      assert.ok((h.sendAttempts?.() ?? 0) >= 2, `expected a retry, saw ${h.sendAttempts?.()} attempt(s)`);
    });

    it('does not lose a reply when the platform answers 500', async function () {
      if (!h.failSends || !h.sendAttempts) this.skip();
      h.failSends?.(500, 1);
      await h.sendText('server error');
      const [reply] = await h.waitForSent(1);
      assert.equal(reply?.text, 'You said: server error');
      assert.ok((h.sendAttempts?.() ?? 0) >= 2, `expected a retry, saw ${h.sendAttempts?.()} attempt(s)`);
    });

    it('still takes a quick-reply answer after the adapter restarted (menus live in the session, not the adapter)', async function () {
      if (!h.restart) this.skip();
      await h.sendText('menu');
      await h.waitForSent(1);
      await h.restart?.();
      await h.pressQuickReply('intent:orders');
      const all = await h.waitForSent(2);
      assert.equal(all[1]?.text, 'Orders dialog');
    });

    it('answers an unknown message type politely', async function () {
      if (!h.sendUnknown) this.skip();
      await h.sendUnknown?.();
      const [reply] = await h.waitForSent(1);
      assert.equal(reply?.text, 'Sorry, I can only read text and images');
    });
  });
}

/** Polls `get` (sync or async) until it returns a value or `ms` passes (a bound against hangs, not a timing assertion). */
export async function eventually<T>(get: () => T | undefined | Promise<T | undefined>, ms = 10_000, what = 'condition'): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

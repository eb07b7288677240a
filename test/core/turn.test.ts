import assert from 'node:assert/strict';
import { type Commit, createEngine, createMemoryData, type Engine, isKefuError, type Repositories } from '../../core';
import { converse } from '../harness';
import { createKeywordClassifier } from '../support/keyword-classifier';
import { orderDialog, testDialogs, testIntents } from './fixtures';

function engineWith(data: Repositories = createMemoryData(), delayMs = 0): Engine {
  return createEngine({ classifier: createKeywordClassifier(testIntents, { delayMs }), dialogs: testDialogs, data });
}

/** The same data with some calls replaced (a flaky or racing store). */
function withCalls(inner: Repositories, calls: Partial<Pick<Repositories, 'commit'>> & { read?: Repositories['sessions']['read'] }): Repositories {
  const sessions = calls.read ? { ...inner.sessions, read: calls.read } : inner.sessions;
  return { ...inner, sessions, commit: calls.commit ?? ((c: Commit) => inner.commit(c)), close: () => inner.close() };
}

const msg = (conversationId: string, text: string, id?: string) => ({ channel: 'test', conversationId, userId: 'u', text, ...(id ? { platformMessageId: id } : {}) });

describe('core/turn', () => {
  it('fills a slot after a wrong then a right answer (en)', async () => {
    await converse(engineWith())
      .say('where is my order')
      .expect('What is your order number?')
      .say('12')
      .expect(/6 digits[\s\S]*What is your order number/)
      .say('100234')
      .expect('Order 100234 is on its way.');
  });

  it('fills a slot after a wrong then a right answer (zh)', async () => {
    await converse(engineWith())
      .say('我的订单到哪了')
      .expect('请问您的订单号是多少')
      .say('不知道')
      .expect('订单号是6位数字')
      .say('100234')
      .expect('订单100234正在配送中')
      .check((r) => assert.equal(r.locale, 'zh'));
  });

  it('prefills a slot from the message that starts the dialog', async () => {
    await converse(engineWith()).say('order 100234 please').expect('Order 100234 is on its way.');
  });

  it('lets another intent interrupt a dialog and then resumes it', async () => {
    await converse(engineWith())
      .say('my order')
      .expect('What is your order number?')
      .say('how long does shipping take?')
      .expect(/Shipping takes 3 days\.\nWhat is your order number\?/)
      .say('100234')
      .expect('Order 100234 is on its way.');
  });

  it('cancels the dialog in progress and every interrupted one', async () => {
    const engine = engineWith();
    await converse(engine, { conversationId: 'cancel-1' }).say('my order').say('cancel').expect('Cancelled.').say('100234').expect('Sorry, I did not get that.');
    const saved = await engine.data.sessions.read('test:cancel-1');
    assert.equal(saved?.value?.dialog, undefined);
    assert.deepEqual(saved?.value?.stack, []);
  });

  it("gives up after the slot's attempts and counts the misunderstandings", async () => {
    const engine = engineWith();
    await converse(engine, { conversationId: 'giveup-1' }).say('order').say('no').say('nope').say('still no').expect('Let me get you a person.');
    const saved = await engine.data.sessions.read('test:giveup-1');
    assert.equal(saved?.value?.dialog, undefined);
    assert.equal(saved?.value?.fallbacks, 3);
  });

  it('drops a re-delivered platform message id without classifying it again', async () => {
    const classifier = createKeywordClassifier(testIntents);
    const engine = createEngine({ classifier, dialogs: testDialogs });
    const first = await engine.handle(msg('dup', 'order', 'm-1'));
    const again = await engine.handle(msg('dup', 'order', 'm-1'));
    assert.equal(first.duplicate, false);
    assert.equal(again.duplicate, true);
    assert.deepEqual(again.replies, []);
    assert.deepEqual(again.previousReplies, first.replies);
    assert.equal(classifier.calls, 1);
  });

  it('processes concurrent turns of one conversation in arrival order', async () => {
    const engine = engineWith(undefined, 5);
    const texts = Array.from({ length: 20 }, (_, i) => `message ${i}`);
    await Promise.all(texts.map((t, i) => engine.handle(msg('order-1', t, `id-${i}`))));
    const saved = await engine.data.sessions.read('test:order-1');
    assert.equal(saved?.value?.turns, 20);
    assert.deepEqual(
      (await engine.data.messages.after('test:order-1', 0, 100)).filter((m) => m.from === 'customer').map((m) => m.text),
      texts,
    );
  });

  it('never loses an update when two engines share a store (version check + retry)', async () => {
    const inner = createMemoryData();
    let conflicts = 0;
    const data = withCalls(inner, {
      commit: async (c) => {
        const r = await inner.commit(c);
        if (!r.ok) conflicts += 1;
        return r;
      },
    });
    const a = engineWith(data, 3);
    const b = engineWith(data, 3);
    const sends = Array.from({ length: 16 }, (_, i) => (i % 2 ? a : b).handle(msg('shared', `m${i}`, `p${i}`)));
    await Promise.all(sends);
    const saved = await data.sessions.read('test:shared');
    assert.equal(saved?.value?.turns, 16);
    assert.equal(new Set(saved?.value?.seen).size, 16);
    const customer = (await data.messages.after('test:shared', 0, 100)).filter((m) => m.from === 'customer');
    assert.equal(customer.length, 16, 'each message is in the transcript once, whatever the retries');
    assert.ok(conflicts > 0, 'the two engines never raced; the test would not show the version check');
  });

  it('fails with KEFU_ERR_STORE_CONFLICT when every write conflicts', async () => {
    const conflicting = withCalls(createMemoryData(), { commit: async () => ({ ok: false, conflict: true }) });
    const engine = createEngine({ classifier: createKeywordClassifier(testIntents), dialogs: testDialogs, data: conflicting, maxWriteAttempts: 3 });
    await assert.rejects(engine.handle(msg('c', 'hi')), (e) => isKefuError(e, 'KEFU_ERR_STORE_CONFLICT'));
  });

  it('rides out a store that is briefly down', async () => {
    const inner = createMemoryData();
    let failures = 2;
    const flaky = withCalls(inner, {
      read: async (key) => {
        if (failures-- > 0) throw new Error('ECONNRESET');
        return inner.sessions.read(key);
      },
    });
    const engine = engineWith(flaky);
    const r = await engine.handle(msg('flaky', 'order 100234'));
    assert.match(r.replies[0]?.text ?? '', /100234/);
  });

  it('keeps the message and tells the customer when a dialog crashes', async () => {
    const engine = engineWith();
    const r = await engine.handle(msg('crash', 'explode', 'x1'));
    assert.match(r.replies[0]?.text ?? '', /something went wrong/);
    const saved = await engine.data.sessions.read('test:crash');
    assert.deepEqual(saved?.value?.seen, ['x1']);
    assert.equal((await engine.data.messages.after('test:crash', 0, 10))[0]?.text, 'explode');
    const next = await engine.handle(msg('crash', 'order 100234'));
    assert.match(next.replies[0]?.text ?? '', /100234/);
  });

  it('restarts a dialog whose version changed since the session was saved', async () => {
    const data = createMemoryData();
    await engineWith(data).handle(msg('v', 'order'));
    const v2 = { ...orderDialog, version: 2 };
    const engine = createEngine({ classifier: createKeywordClassifier(testIntents), dialogs: testDialogs.map((d) => (d.id === 'order' ? v2 : d)), data });
    const r = await engine.handle(msg('v', '100234'));
    assert.equal(r.replies[0]?.text, 'Sorry, I did not get that.');
  });

  it('keeps the locale sticky and switches when the customer clearly does', async () => {
    const engine = engineWith();
    assert.equal((await engine.handle(msg('loc', '你好，我的订单'))).locale, 'zh');
    assert.equal((await engine.handle(msg('loc', '100234'))).locale, 'zh');
    assert.equal((await engine.handle(msg('loc', 'ok'))).locale, 'zh');
    assert.equal((await engine.handle(msg('loc', 'where is my order'))).locale, 'en');
  });

  it('rejects invalid messages with coded errors and cleans control characters', async () => {
    const engine = engineWith();
    await assert.rejects(
      engine.handle({ channel: 'test', conversationId: '', userId: 'u' }),
      (e) => isKefuError(e, 'KEFU_ERR_MESSAGE_INVALID') && /conversationId/.test(e.message),
    );
    await assert.rejects(engine.handle(msg('big', 'x'.repeat(100_000))), (e) => isKefuError(e, 'KEFU_ERR_MESSAGE_TOO_LARGE'));
    await assert.rejects(engine.handle({ ...msg('u', 'hi'), bogus: 1 } as never), (e) => isKefuError(e, 'KEFU_ERR_MESSAGE_INVALID') && /bogus/.test(e.message));
    const r = await engine.handle(msg('ctl', 'order\u0000\u0007 100234'));
    assert.match(r.replies[0]?.text ?? '', /100234/);
  });

  it('finishes in-flight turns on close and refuses new ones', async () => {
    const engine = engineWith(undefined, 30);
    const inflight = engine.handle(msg('close', 'order 100234'));
    await new Promise((r) => setTimeout(r, 5));
    await engine.close();
    assert.match((await inflight).replies[0]?.text ?? '', /100234/);
    await assert.rejects(engine.handle(msg('close', 'hi')), (e) => isKefuError(e, 'KEFU_ERR_ENGINE_CLOSED'));
  });
});

/**
 * Nothing is lost between Slack and the engine: slow turns are acknowledged in time, failed turns
 * are redelivered by Slack or retried by the channel, replies Slack refuses wait in the outbox.
 */
import assert from 'node:assert/strict';
import { type Engine, type InboundMessage, isKefuError, KefuError, type TurnHandler } from '../../core';
import { blockActionPayload, dmEvent, mentionEvent } from '../support/slack-events';
import { type SlackRig, startSlackRig } from '../support/slack-rig';
import { buttonFor } from '../support/slack-server';
import { createConformanceEngine } from './conformance';

/** Wraps the engine: `failFirst` calls throw a retryable store error; `gate` holds calls until opened. */
function flaky(inner: Engine, o: { failFirst?: number; gate?: Promise<void> } = {}) {
  let failures = o.failFirst ?? 0;
  const calls: InboundMessage[] = [];
  let finished = 0;
  const handler: TurnHandler & Pick<Engine, 'addChannel'> = {
    addChannel: (c) => inner.addChannel(c),
    async handle(m) {
      calls.push(m);
      if (o.gate) await o.gate;
      if (failures > 0) {
        failures -= 1;
        throw new KefuError('KEFU_ERR_STORE_UNAVAILABLE', 'store down (test)');
      }
      const result = await inner.handle(m);
      finished += 1;
      return result;
    },
  };
  return { handler, calls, finished: () => finished };
}

function gate(): { promise: Promise<void>; open: () => void } {
  let open = () => {};
  const promise = new Promise<void>((r) => {
    open = r;
  });
  return { promise, open };
}

describe('slack delivery', function () {
  this.timeout(20_000);
  let engine: Engine;
  let rig: SlackRig | undefined;

  beforeEach(() => {
    engine = createConformanceEngine();
  });
  afterEach(async () => {
    await rig?.close();
    rig = undefined;
    await engine.close();
  });

  const texts = (r: SlackRig) => r.slack.calls('chat.postMessage').map((c) => c.args.text);

  it('acknowledges a slow turn within the budget and still replies', async () => {
    const g = gate();
    const f = flaky(engine, { gate: g.promise });
    rig = await startSlackRig(f.handler, { channel: { ackBudgetMs: 30 } });
    const res = await rig.events.postEvent(dmEvent({ text: 'slow one' }));
    assert.equal(res.status, 200);
    assert.equal(f.finished(), 0, 'Slack got its 200 while the turn was still running');
    g.open();
    await rig.slack.waitFor('chat.postMessage', 1);
    assert.deepEqual(texts(rig), ['You said: slow one']);
  });

  it('answers 500 when a turn fails in time, and handles Slack’s redelivery once', async () => {
    const f = flaky(engine, { failFirst: 1 });
    rig = await startSlackRig(f.handler);
    const first = await rig.events.postEvent(dmEvent({ text: 'try again' }));
    assert.equal(first.status, 500);
    assert.equal(JSON.parse(first.body).error.code, 'KEFU_ERR_STORE_UNAVAILABLE');
    const retry = await rig.events.redeliver(first.request, 1, 'http_error');
    assert.equal(retry.status, 200);
    const again = await rig.events.redeliver(first.request, 2, 'http_error');
    assert.equal(again.status, 200);
    await rig.channel.idle();
    assert.deepEqual(texts(rig), ['You said: try again']);
    assert.equal(f.calls.length, 3);
  });

  it('retries a failed turn itself on Slack’s last retry and after the 200 went out', async () => {
    const f = flaky(engine, { failFirst: 2 });
    rig = await startSlackRig(f.handler);
    const last = await rig.events.postEvent(dmEvent({ text: 'last chance' }));
    const lastRetry = await rig.events.redeliver(last.request, 3, 'http_error');
    assert.equal(last.status, 500);
    assert.equal(lastRetry.status, 200, 'Slack will not retry again, so the channel keeps the message');
    await rig.slack.waitFor('chat.postMessage', 1);

    const g = gate();
    const slow = flaky(engine, { failFirst: 1, gate: g.promise });
    const rig2 = await startSlackRig(slow.handler, { channel: { ackBudgetMs: 20 } });
    try {
      assert.equal((await rig2.events.postEvent(dmEvent({ channel: 'D0SECOND', text: 'slow and failing' }), { eventId: 'EvSECOND' })).status, 200);
      g.open();
      await rig2.slack.waitFor('chat.postMessage', 1);
      assert.deepEqual(texts(rig2), ['You said: slow and failing']);
      assert.equal(slow.calls.length, 2);
    } finally {
      await rig2.close();
    }
  });

  it('keeps replies Slack keeps refusing in the outbox, in order, and delivers them later', async () => {
    rig = await startSlackRig(engine);
    rig.slack.fail('chat.postMessage', 500, 4);
    await rig.events.postEvent(dmEvent({ text: 'first' }));
    await rig.channel.idle();
    await engine.delivery.idle();
    assert.equal(await engine.data.messages.countPending(), 1);
    await rig.events.postEvent(dmEvent({ text: 'second' }));
    await rig.channel.idle();
    await engine.delivery.idle();
    assert.equal(await engine.data.messages.countPending(), 2, 'a later reply waits behind the queued one');
    assert.deepEqual(texts(rig), []);
    assert.equal(await engine.delivery.retryAll(), 0);
    assert.deepEqual(texts(rig), ['You said: first', 'You said: second']);
  });

  it('surfaces invalid_auth on send as KEFU_ERR_CHANNEL_AUTH and keeps the refused reply as failed', async () => {
    rig = await startSlackRig(engine);
    rig.slack.failWith('chat.postMessage', 'invalid_auth', 2);
    const ref = { channel: 'slack', conversationId: 'D0CUSTOMER', userId: 'UCUSTOMER' };
    await assert.rejects(rig.channel.send(ref, [{ text: 'agent reply', locale: 'en' }]), (err) => isKefuError(err, 'KEFU_ERR_CHANNEL_AUTH'));
    await rig.events.postEvent(dmEvent({ text: 'hello' }));
    await rig.channel.idle();
    await engine.delivery.idle();
    const lost = (await engine.data.messages.failed()).items.map((m) => [m.delivery?.lastError, m.text, m.ref?.conversationId]);
    assert.deepEqual(lost, [['KEFU_ERR_CHANNEL_AUTH', 'You said: hello', 'D0CUSTOMER']]);
  });

  it('tells the customer when a message is too long for the engine', async () => {
    rig = await startSlackRig(engine);
    await rig.events.postEvent(dmEvent({ text: 'a'.repeat(4500) }));
    const [call] = await rig.slack.waitFor('chat.postMessage', 1);
    assert.match(String(call?.args.text), /too long \(4500 characters; the limit is 4000\)/);
  });

  it('marks the pressed button and runs the payload turn', async () => {
    rig = await startSlackRig(engine);
    await rig.events.postEvent(dmEvent({ text: 'menu' }));
    await rig.slack.waitFor('chat.postMessage', 1);
    const { message, actionId, label } = buttonFor(rig.slack.messages(), 'intent:orders');
    const res = await rig.events.postInteraction(blockActionPayload({ channel: message.channel, message, actionId, value: 'intent:orders', label }));
    assert.equal(res.status, 200);
    await rig.slack.waitFor('chat.postMessage', 2);
    await rig.slack.waitFor('chat.update', 1);
    const updated = rig.slack.messages().find((m) => m.ts === message.ts);
    assert.deepEqual(
      ((updated?.blocks ?? []) as Array<{ type: string }>).map((b) => b.type),
      ['section', 'context'],
    );
    assert.deepEqual(texts(rig), ['Pick a topic', 'Orders dialog']);
  });

  it('uses the Slack user language as the locale hint', async () => {
    rig = await startSlackRig(engine);
    rig.slack.setUser({ id: 'UZH', real_name: 'Li', locale: 'zh-CN' });
    await rig.events.postEvent(dmEvent({ channel: 'D0ZH', user: 'UZH', text: '12345' }));
    const [call] = await rig.slack.waitFor('chat.postMessage', 1);
    assert.equal(call?.args.text, '你说：12345');
  });

  it('pushes messages outside a turn into the conversation’s thread', async () => {
    rig = await startSlackRig(engine);
    engine.addChannel(rig.channel);
    const ts = '1700300000.000100';
    await rig.events.postEvent(mentionEvent({ channel: 'C0PUBLIC', text: 'help', ts }));
    await rig.slack.waitFor('chat.postMessage', 1);
    await engine.push({ channel: 'slack', conversationId: `C0PUBLIC:${ts}`, userId: 'UCUSTOMER' }, [{ text: 'An agent will be with you', locale: 'en', from: 'agent' }]);
    const calls = await rig.slack.waitFor('chat.postMessage', 2);
    assert.deepEqual([calls[1]?.args.channel, calls[1]?.args.thread_ts, calls[1]?.args.text], ['C0PUBLIC', ts, 'An agent will be with you']);
  });
});

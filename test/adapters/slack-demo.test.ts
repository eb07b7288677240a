/**
 * The demo bot (real NLU, demo dialogs and order book) holds its bilingual order-status
 * conversation on Slack: in English by direct message with the topic button, in Chinese by
 * mentioning the bot in a channel (answered in the thread), each with a wrong then a right order
 * number, through bolt against the local Slack Web API server.
 */
import assert from 'node:assert/strict';
import { createEngine, type Engine, type IntentClassifier } from '../../core';
import { demoDialogs } from '../../dialogs';
import { demoNlu } from '../support/demo-nlu';
import { blockActionPayload, dmEvent, mentionEvent } from '../support/slack-events';
import { type SlackRig, startSlackRig } from '../support/slack-rig';
import { buttonFor, type PostedMessage, seen } from '../support/slack-server';

describe('slack: the demo bot in English and Chinese', function () {
  this.timeout(120_000);
  let classifier: IntentClassifier;
  let engine: Engine;
  let rig: SlackRig;

  before(async () => {
    classifier = await demoNlu();
  });
  beforeEach(async () => {
    engine = createEngine({ classifier, dialogs: demoDialogs });
    rig = await startSlackRig(engine);
    rig.slack.setUser({ id: 'UEN', real_name: 'Casey', locale: 'en-US' });
    rig.slack.setUser({ id: 'UZH', real_name: '小明', locale: 'zh-CN' });
  });
  afterEach(async () => {
    await rig.close();
    await engine.close();
  });

  /** Runs `act`, waits for the bot's answer in `channel`, returns its text (unescaped). */
  async function turn(channel: string, act: () => Promise<{ status: number }>): Promise<string> {
    const before = rig.slack.messages(channel).length;
    assert.equal((await act()).status, 200);
    await rig.channel.idle();
    const fresh: PostedMessage[] = rig.slack.messages(channel).slice(before);
    assert.ok(fresh.length, 'the bot answered');
    return fresh.map((m) => seen(m).text).join('\n');
  }

  it('checks an order in English by DM: the topic button, a wrong then a right order number', async () => {
    const dm = (text: string) => () => rig.events.postEvent(dmEvent({ channel: 'D0EN', user: 'UEN', text }));
    assert.match(await turn('D0EN', dm('hello')), /Lumen & Co/);
    const { message, actionId, label } = buttonFor(rig.slack.messages('D0EN'), 'intent:order.status');
    assert.equal(label, 'Where’s my order?');
    const press = () => rig.events.postInteraction(blockActionPayload({ user: 'UEN', channel: 'D0EN', message, actionId, value: 'intent:order.status', label }));
    assert.match(await turn('D0EN', press), /order number\? It’s the 6-digit number/);
    assert.match(await turn('D0EN', dm('it is 12345')), /doesn't look like an order number/);
    assert.match(await turn('D0EN', dm('999999')), /couldn’t find an order numbered 999999/);
    assert.match(await turn('D0EN', dm('100234')), /email address on order 100234/);
    const answer = await turn('D0EN', dm('my phone ends in 4521'));
    assert.match(answer, /order 100234 \(Linen table lamp[^)]*\) is on its way/);
    assert.match(answer, /SF Express, tracking number SF1402837465921/);
  });

  it('checks an order in Chinese by mention in a channel, answered in the thread', async () => {
    const root = '1700600000.000100';
    const say = (text: string, ts?: string) => () =>
      rig.events.postEvent(mentionEvent({ channel: 'C0SHOP', user: 'UZH', text, botUserId: rig.slack.botUserId, ...(ts ? { ts } : { thread_ts: root }) }));
    assert.match(await turn('C0SHOP', say('帮我查一下订单到哪了', root)), /请告诉我您的订单号/);
    assert.match(await turn('C0SHOP', say('12345')), /这个好像不是订单号/);
    assert.match(await turn('C0SHOP', say('订单号是100234')), /请提供订单 100234 的下单邮箱/);
    const answer = await turn('C0SHOP', say('手机后四位4521'));
    assert.match(answer, /订单 100234（亚麻布艺台灯[^）]*）已经在路上啦/);
    assert.match(answer, /顺丰速运发出，快递单号 SF1402837465921/);
    assert.ok(
      rig.slack.messages('C0SHOP').every((m) => m.thread_ts === root),
      'every answer is in the thread',
    );
  });
});

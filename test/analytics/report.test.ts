/**
 * Analytics KPIs from real turns: two days of conversations through the demo bot (greeting, order
 * status with a slot answer, two misses that escalate, a request for a human handled by an agent
 * with a rating), checked number by number against the report, per day, channel and language.
 */
import assert from 'node:assert/strict';
import { type AnalyticsService, bucketFromCounters, dayScope } from '../../plugins/analytics';
import { key, type Rig } from '../handoff/support';
import { createAnalyticsRig, DAY, MINUTE, T0 } from './support';

describe('analytics report', () => {
  let rig: Rig & { analytics: AnalyticsService };

  before(async () => {
    rig = await createAnalyticsRig();
    const at = (ms: number) => {
      rig.clock.t = ms;
    };
    at(T0);
    await rig.say('c1', 'hello');
    await rig.say('c1', 'where is my order');
    await rig.say('c1', '100234'); // None intent, but a valid answer to the question: not a miss
    await rig.say('c2', 'my lamp flickers');
    await rig.say('c2', 'My lamp   FLICKERS!!'); // second miss: escalates (misunderstood)
    await rig.say('c2', 'hello?'); // waiting for a person: not a bot turn
    await rig.say('c3', '转人工');
    at(T0 + 2 * MINUTE);
    assert.ok((await rig.service.claim(key('c3'), 'anna')).ok);
    at(T0 + 3 * MINUTE);
    assert.ok((await rig.service.reply(key('c3'), 'anna', { text: '您好' })).ok);
    at(T0 + 6 * MINUTE);
    assert.ok((await rig.service.resolve(key('c3'), 'anna')).ok);
    await rig.say('c3', '', { payload: 'csat:4' });
    at(T0 + 10 * MINUTE);
    assert.ok((await rig.service.claim(key('c2'), 'anna')).ok);
    at(T0 + 12 * MINUTE);
    assert.ok((await rig.service.resolve(key('c2'), 'anna')).ok);
    at(T0 + DAY);
    await rig.say('c1', 'hello'); // the same conversation, a new day
    await rig.say('c4', 'I want a refund');
    await rig.analytics.idle();
  });
  after(() => rig.close());

  it('day 1: conversations, turns, bot turns, fallbacks, escalations by reason, rates, wait, first response, handle, CSAT', async () => {
    const r = await rig.analytics.report({ from: '2025-01-06', to: '2025-01-06' });
    const k = r.totals;
    assert.deepEqual(
      { conversations: k.conversations, turns: k.turns, botTurns: k.botTurns, fallbackTurns: k.fallbackTurns, noneTurns: k.noneTurns },
      { conversations: 3, turns: 8, botTurns: 6, fallbackTurns: 2, noneTurns: 3 },
    );
    assert.equal(k.fallbackRate, 0.3333);
    assert.equal(k.escalations, 2);
    assert.equal(k.escalatedConversations, 2);
    assert.equal(k.escalationRate, 0.6667);
    assert.equal(k.automationRate, 0.3333);
    assert.deepEqual(k.escalationsByReason, { requested: 1, misunderstood: 1, sentiment: 0, rule: 0, dialog: 0 });
    assert.deepEqual(k.escalationRateByReason, { requested: 0.3333, misunderstood: 0.3333, sentiment: 0, rule: 0, dialog: 0 });
    assert.equal(k.outcomes.resolved, 2);
    assert.deepEqual(k.wait, { count: 2, avgMs: 6 * MINUTE, p90Ms: 10 * MINUTE });
    assert.deepEqual(k.firstResponse, { count: 1, avgMs: 3 * MINUTE, p90Ms: 3 * MINUTE }, 'from the request, as the SLA counts it');
    assert.deepEqual(k.handle, { count: 2, avgMs: 3 * MINUTE, p90Ms: 4 * MINUTE });
    assert.deepEqual(k.csat, { count: 1, average: 4, distribution: [0, 0, 0, 1, 0] });
    assert.deepEqual(k.topIntents, [
      { intent: 'agent.request', count: 1 },
      { intent: 'greeting', count: 1 },
      { intent: 'order.status', count: 1 },
    ]);
  });

  it('splits by language and channel, and counts a returning conversation again on its new day', async () => {
    const r = await rig.analytics.report({ from: '2025-01-06', to: '2025-01-08' });
    assert.deepEqual(
      r.days.map((d) => [d.day, d.conversations, d.turns, d.escalations]),
      [
        ['2025-01-06', 3, 8, 2],
        ['2025-01-07', 2, 2, 0],
        ['2025-01-08', 0, 0, 0],
      ],
    );
    assert.equal(r.totals.conversations, 5);
    assert.equal(r.totals.automationRate, 0.6);
    assert.equal(r.totals.fallbackRate, 0.25);
    assert.deepEqual(r.totals.topIntents.slice(0, 2), [
      { intent: 'greeting', count: 2 },
      { intent: 'agent.request', count: 1 },
    ]);
    assert.deepEqual(Object.keys(r.byChannel), ['test']);
    assert.equal(r.byLocale.en?.conversations, 4);
    assert.equal(r.byLocale.en?.escalations, 1);
    assert.deepEqual(r.byLocale.en?.escalationsByReason.misunderstood, 1);
    assert.equal(r.byLocale.zh?.conversations, 1);
    assert.equal(r.byLocale.zh?.csat.average, 4);
    assert.equal(r.days[2]?.automationRate, undefined, 'no rate on a day without conversations');
    const zhOnly = await rig.analytics.report({ from: '2025-01-06', to: '2025-01-08', locale: 'zh' });
    assert.equal(zhOnly.totals.conversations, 1);
    assert.equal(zhOnly.totals.escalationRate, 1);
    const other = await rig.analytics.report({ from: '2025-01-06', to: '2025-01-08', channel: 'telegram' });
    assert.equal(other.totals.turns, 0);
    assert.equal(other.totals.escalations, 0);
  });

  it('keeps the day counters in the counter scope day:<day>:<channel>:<locale>', async () => {
    await rig.engine.counters.flush();
    const scope = dayScope('2025-01-06', 'test', 'zh');
    assert.deepEqual(bucketFromCounters(scope, await rig.engine.data.counters.get(scope)), {
      day: '2025-01-06',
      channel: 'test',
      locale: 'zh',
      conversations: 1,
      turns: 2,
      botTurns: 1,
      fallbackTurns: 0,
      noneTurns: 0,
      intents: { 'agent.request': 1 },
    });
  });

  it('refuses bad ranges with KEFU_ERR_ANALYTICS_RANGE_INVALID naming the problem', async () => {
    for (const [from, to, why] of [
      ['2025-1-6', '2025-01-07', /from is not a calendar date/],
      ['2025-01-06', '2025-02-30', /to is not a calendar date/],
      ['2025-01-08', '2025-01-06', /after/],
      ['2024-01-01', '2025-12-31', /731 days/],
    ] as const) {
      await assert.rejects(rig.analytics.report({ from, to }), (e: Error & { code?: string }) => e.code === 'KEFU_ERR_ANALYTICS_RANGE_INVALID' && why.test(e.message));
    }
  });
});

import assert from 'node:assert/strict';
import { type AgentView, compareQueue, pickAgent, priorityFor, skillForIntent, topicIntent } from '../../plugins/handoff';
import { estimateWaitMs } from '../../plugins/handoff/routing';

const agent = (id: string, over: Partial<AgentView> = {}): AgentView => ({ id, name: id, skills: ['general'], languages: ['en'], capacity: 2, status: 'online', load: 0, ...over });

const anna = agent('anna', { skills: ['orders', 'general'], languages: ['en'], capacity: 3 });
const wang = agent('wang', { skills: ['refunds', 'orders'], languages: ['zh'], capacity: 3 });
const lilei = agent('lilei', { skills: ['orders', 'refunds', 'general'], languages: ['en', 'zh'], capacity: 2, tiers: ['vip'] });

describe('handoff routing: pickAgent', () => {
  const table: Array<{ name: string; req: Parameters<typeof pickAgent>[0]; agents: AgentView[]; exclude?: string | string[]; want: string | undefined }> = [
    { name: 'en orders → the English orders agent', req: { locale: 'en', skill: 'orders' }, agents: [anna, wang, lilei], want: 'anna' },
    { name: 'zh refunds → the Chinese refunds agent', req: { locale: 'zh', skill: 'refunds' }, agents: [anna, wang, lilei], want: 'wang' },
    { name: 'VIP zh refunds → the VIP agent', req: { locale: 'zh', skill: 'refunds', tier: 'vip' }, agents: [anna, wang, lilei], want: 'lilei' },
    { name: 'VIP en → the VIP agent', req: { locale: 'en', skill: 'general', tier: 'vip' }, agents: [anna, wang, lilei], want: 'lilei' },
    {
      name: 'en refunds → the bilingual agent with the skill beats the English one without it',
      req: { locale: 'en', skill: 'refunds' },
      agents: [anna, wang, lilei],
      want: 'lilei',
    },
    { name: 'zh with the Chinese agent full → the bilingual agent', req: { locale: 'zh', skill: 'refunds' }, agents: [anna, { ...wang, load: 3 }, lilei], want: 'lilei' },
    {
      name: 'zh with every Chinese speaker full → waits (no English-only agent)',
      req: { locale: 'zh', skill: 'refunds' },
      agents: [anna, { ...wang, load: 3 }, { ...lilei, load: 2 }],
      want: undefined,
    },
    {
      name: 'zh with no Chinese speaker online → nobody (never an English-only agent; the customer waits or leaves a ticket)',
      req: { locale: 'zh', skill: 'orders' },
      agents: [anna, { ...wang, status: 'offline' }, { ...lilei, status: 'away' }],
      want: undefined,
    },
    {
      name: 'those who declined the conversation are skipped too',
      req: { locale: 'en', skill: 'orders' },
      agents: [anna, agent('bob'), agent('cid')],
      exclude: ['anna', 'bob'],
      want: 'cid',
    },
    {
      name: 'offline and away agents are never picked',
      req: { locale: 'en', skill: 'orders' },
      agents: [
        { ...anna, status: 'away' },
        { ...lilei, status: 'offline' },
      ],
      want: undefined,
    },
    { name: 'least load ratio wins among equals', req: { locale: 'en', skill: 'general' }, agents: [agent('b', { load: 1 }), agent('c', { load: 0 })], want: 'c' },
    { name: 'load ratio, not raw load', req: { locale: 'en', skill: 'general' }, agents: [agent('b', { load: 2, capacity: 10 }), agent('c', { load: 1, capacity: 2 })], want: 'b' },
    { name: 'ties break on id, whatever the input order', req: { locale: 'en', skill: 'general' }, agents: [agent('zed'), agent('amy'), agent('max')], want: 'amy' },
    { name: 'skill match beats load', req: { locale: 'en', skill: 'orders' }, agents: [agent('a', { load: 0 }), agent('b', { skills: ['orders'], load: 1 })], want: 'b' },
    { name: 'non-VIP customers prefer non-VIP agents', req: { locale: 'en', skill: 'orders' }, agents: [lilei, { ...anna, load: 2 }], want: 'anna' },
    { name: 'the agent who transferred it away is skipped', req: { locale: 'en', skill: 'orders' }, agents: [anna, agent('bob')], exclude: 'anna', want: 'bob' },
    { name: 'no agents → undefined', req: { locale: 'en', skill: 'orders' }, agents: [], want: undefined },
  ];
  for (const row of table) {
    it(row.name, () => {
      assert.equal(pickAgent(row.req, row.agents, row.exclude)?.id, row.want);
      assert.equal(pickAgent(row.req, [...row.agents].reverse(), row.exclude)?.id, row.want, 'same answer for any input order');
    });
  }
});

describe('handoff routing: queue order, skills, priority, wait', () => {
  it('serves higher priority first, then first come, then id', () => {
    const rows = [
      { id: 'd', priority: 0, requestedAt: 1 },
      { id: 'c', priority: 2, requestedAt: 9 },
      { id: 'b', priority: 1, requestedAt: 5 },
      { id: 'a', priority: 0, requestedAt: 1 },
      { id: 'e', priority: 3, requestedAt: 20 },
    ];
    assert.deepEqual(
      [...rows].sort(compareQueue).map((r) => r.id),
      ['e', 'c', 'b', 'a', 'd'],
    );
  });

  it('priority: angry +1, VIP +2', () => {
    assert.equal(priorityFor({ angry: false, priorityTiers: ['vip'] }), 0);
    assert.equal(priorityFor({ angry: true, priorityTiers: ['vip'] }), 1);
    assert.equal(priorityFor({ angry: false, tier: 'vip', priorityTiers: ['vip'] }), 2);
    assert.equal(priorityFor({ angry: true, tier: 'vip', priorityTiers: ['vip'] }), 3);
    assert.equal(priorityFor({ angry: false, tier: 'gold', priorityTiers: ['vip'] }), 0);
  });

  it('maps intents to skills, with wildcards and a default', () => {
    assert.equal(skillForIntent('order.status'), 'orders');
    assert.equal(skillForIntent('refund.request'), 'refunds');
    assert.equal(skillForIntent('faq.shipping'), 'general');
    assert.equal(skillForIntent('something.else'), 'general');
    assert.equal(skillForIntent('faq.payment', { 'faq.*': 'general', 'faq.payment': 'billing' }), 'billing');
  });

  it('finds the topic behind "get me a human"', () => {
    assert.equal(topicIntent(['greeting', 'refund.request', 'None', 'agent.request']), 'refund.request');
    assert.equal(topicIntent(['greeting', 'agent.request']), 'None');
  });

  it('estimates the wait from position, online capacity and handle time', () => {
    assert.equal(estimateWaitMs(1, 3, 60_000), 60_000);
    assert.equal(estimateWaitMs(3, 3, 60_000), 60_000);
    assert.equal(estimateWaitMs(4, 3, 60_000), 120_000);
    assert.equal(estimateWaitMs(2, 0, 60_000), 120_000);
  });
});

/** The three-tier split (bot → agent → expert) per day, channel and language, beside the brief's 68/22/10. */
import assert from 'node:assert/strict';
import { type AnalyticsService, createAnalytics, REFERENCE_TIER_SPLIT } from '../../plugins/analytics';
import type { AgentProfile } from '../../plugins/handoff';
import { createRig, key, type Rig } from '../handoff/support';
import { DAY, MINUTE, T0 } from './support';

const TEAM: AgentProfile[] = [
  { id: 'anna', name: 'Anna', skills: ['orders', 'general', 'refunds'], languages: ['en', 'zh'], capacity: 3, status: 'online' },
  { id: 'lilei', name: 'Li Lei', skills: ['orders', 'refunds'], languages: ['en', 'zh'], capacity: 2, status: 'online', level: 'expert' },
];

describe('analytics: tier split', () => {
  let rig: Rig;
  let analytics: AnalyticsService;

  before(async () => {
    rig = await createRig({ agents: TEAM });
    const a = createAnalytics({ handoff: rig.service, now: () => rig.clock.t });
    analytics = a.service;
    await rig.engine.register(a.plugin, undefined);
    const say = async (id: string, text: string) => {
      await rig.say(id, text);
      await analytics.idle();
    };
    rig.clock.t = T0;
    await say('bot1', 'hello');
    await say('bot2', '你好');
    await say('agent', 'human please');
    await say('expert', '转人工');
    await say('open', 'human please');
    rig.clock.t += MINUTE;
    assert.ok((await rig.service.resolve(key('agent'), 'anna')).ok);
    const up = await rig.service.escalateToExpert(key('expert'), 'anna', { note: 'needs an expert' });
    assert.ok(up.ok, JSON.stringify(up));
    assert.equal((await rig.service.get(key('expert')))?.agentId, 'lilei');
    assert.ok((await rig.service.resolve(key('expert'), 'lilei')).ok);
    rig.clock.t = T0 + DAY;
    await say('bot3', 'hello');
    await analytics.idle();
  });
  after(() => rig.close());

  it('counts bot-contained conversations, agent and expert resolutions, with shares beside the reference', async () => {
    const r = await analytics.report({ from: '2025-01-06', to: '2025-01-07' });
    assert.deepEqual(r.referenceTiers, REFERENCE_TIER_SPLIT);
    assert.deepEqual(r.referenceTiers, { bot: 0.68, agents: 0.22, experts: 0.1 });
    assert.deepEqual(r.totals.tiers, { bot: 3, agents: 1, experts: 1, unresolved: 1, shares: { bot: 0.5, agents: 0.1667, experts: 0.1667 } });
    assert.deepEqual(
      r.days.map((d) => [d.day, d.tiers.bot, d.tiers.agents, d.tiers.experts]),
      [
        ['2025-01-06', 2, 1, 1],
        ['2025-01-07', 1, 0, 0],
      ],
    );
    assert.deepEqual([r.byChannel.test?.tiers.experts, r.byChannel.test?.tiers.bot], [1, 3]);
    assert.deepEqual(r.byLocale.zh?.tiers, { bot: 1, agents: 0, experts: 1, unresolved: 0, shares: { bot: 0.5, agents: 0, experts: 0.5 } });
    assert.deepEqual(r.byLocale.en?.tiers, { bot: 2, agents: 1, experts: 0, unresolved: 1, shares: { bot: 0.5, agents: 0.25, experts: 0 } });
  });
});

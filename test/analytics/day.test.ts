/** Days in the analytics time zone, range checks, and plugin order (analytics before or after handoff). */
import assert from 'node:assert/strict';
import { createEngine, createMemoryData } from '../../core';
import { createAnalytics, createDayOf, dayRange } from '../../plugins/analytics';
import { createHandoff } from '../../plugins/handoff';
import { demoDialogs } from '../../dialogs';
import { createTestClassifier } from '../handoff/support';
import { AWAY_ANNA } from './support';

describe('analytics days and plugin order', () => {
  it('counts a turn on the calendar day of the configured time zone', async () => {
    const at = Date.UTC(2025, 0, 6, 17, 30); // 01:30 on the 7th in Shanghai
    assert.equal(createDayOf()(at), '2025-01-06');
    assert.equal(createDayOf('Asia/Shanghai')(at), '2025-01-07');
    assert.equal(createDayOf('America/Los_Angeles')(at), '2025-01-06');
    assert.throws(() => createDayOf('Mars/Olympus'), { code: 'KEFU_ERR_ANALYTICS_OPTIONS_INVALID' });
    assert.throws(() => createAnalytics({ inboxLimit: -1 }), { code: 'KEFU_ERR_ANALYTICS_OPTIONS_INVALID' });
    assert.deepEqual(dayRange('2024-02-28', '2024-03-01'), ['2024-02-28', '2024-02-29', '2024-03-01']);

    const engine = createEngine({ classifier: createTestClassifier(), dialogs: demoDialogs, now: () => at });
    const { service, plugin } = createAnalytics({ timeZone: 'Asia/Shanghai' });
    await engine.register(plugin, undefined);
    await engine.handle({ channel: 'web', conversationId: 'tz', userId: 'u', text: 'hello' });
    await service.idle();
    assert.equal((await service.report({ from: '2025-01-07', to: '2025-01-07' })).totals.turns, 1);
    assert.equal((await service.report({ from: '2025-01-06', to: '2025-01-06' })).totals.turns, 0);
    await engine.close();
  });

  it('registered before the handoff plugin, it still tells bot turns from turns a person handles', async () => {
    const engine = createEngine({ classifier: createTestClassifier(), dialogs: demoDialogs, data: createMemoryData(), now: () => Date.UTC(2025, 0, 6, 3) });
    engine.addChannel({ name: 'web', async send() {} });
    const analytics = createAnalytics();
    await engine.register(analytics.plugin, undefined);
    const handoff = createHandoff({ agents: [AWAY_ANNA], now: () => Date.UTC(2025, 0, 6, 3) });
    await engine.register(handoff.plugin, undefined);
    const say = (text: string) => engine.handle({ channel: 'web', conversationId: 'o', userId: 'u', text });
    await say('I need a human');
    await say('are you there?'); // waiting for a person: the bot stays silent
    await say('still waiting');
    await analytics.service.idle();
    const t = (await analytics.service.report({ from: '2025-01-06', to: '2025-01-06' })).totals;
    assert.deepEqual([t.turns, t.botTurns, t.fallbackTurns], [3, 1, 0]);
    assert.deepEqual(await analytics.service.inbox.list(), [], 'messages to a person are not misses');
    await handoff.service.idle();
    await engine.close();
  });
});

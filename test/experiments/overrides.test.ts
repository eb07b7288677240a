/** A variant's dialog version, NLU threshold and resolution counting, on an in-process engine. */
import assert from 'node:assert/strict';
import { type Classification, createEngine, createMemoryData, defineDialog, type IntentClassifier } from '../../core';
import { createExperiments, parseExperiment } from '../../plugins/experiments';

const dialog = (id: string, triggers: string[], text: string) => defineDialog({ id, triggers, texts: { en: { t: text }, zh: { t: text } }, run: (ctx) => ctx.say('t') });
const dialogs = [dialog('fallback', [], 'Sorry?'), dialog('shipping', ['shipping'], 'Ships in 2 days.'), dialog('shipping-v2', [], 'Ships Tuesday, tracked.')];

/** "ship…" ranks shipping at 0.4: under the bot's threshold (None) unless a variant lowers it. */
const classifier: IntentClassifier = {
  async classify(text): Promise<Classification> {
    const score = text.startsWith('ship') ? 0.4 : 0;
    return { intent: 'None', score, ranking: score ? [{ intent: 'shipping', score }] : [], entities: [] };
  },
};

describe('experiments: variant overrides', () => {
  it('a variant with nluThreshold 0.3 and another dialog answers; the control falls back; resolutions are counted per variant', async () => {
    const engine = createEngine({ classifier, dialogs, data: createMemoryData() });
    const experiment = {
      id: 'ship',
      minSample: 1,
      resolvingIntents: ['shipping'],
      variants: [{ id: 'control' }, { id: 'v2', nluThreshold: 0.3, dialogs: { shipping: 'shipping-v2' } }],
    };
    const experiments = createExperiments({ engine, fromFile: [parseExperiment(experiment)] });
    await engine.register(experiments.plugin, undefined);
    const seen = { control: 0, v2: 0 };
    for (let i = 0; i < 20; i++) {
      const { replies } = await engine.handle({ channel: 'test', conversationId: `c${i}`, userId: `u${i}`, text: 'ship it?' });
      const text = replies.map((r) => r.text).join(' ');
      const variant = text === 'Ships Tuesday, tracked.' ? 'v2' : 'control';
      if (variant === 'control') assert.equal(text, 'Sorry?');
      seen[variant] += 1;
    }
    assert.ok(seen.control > 0 && seen.v2 > 0, JSON.stringify(seen));
    const [listed] = await experiments.list();
    const byId = new Map(listed?.report.variants.map((v) => [v.id, v]));
    assert.equal(byId.get('v2')?.resolution.count, seen.v2);
    assert.equal(byId.get('v2')?.turnsToResolution.mean, 1);
    assert.equal(byId.get('control')?.resolution.count, 0);
    assert.equal(byId.get('control')?.conversations, seen.control);
    await engine.close();
  });
});

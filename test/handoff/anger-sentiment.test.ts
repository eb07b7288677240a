/** Anger escalation with the real sentiment analyser (intents/sentiment) at the default threshold. */
import assert from 'node:assert/strict';
import type { Classification, IntentClassifier } from '../../core';
import { analyzeSentiment, getTextPipeline } from '../../intents';
import { createKeywordClassifier } from '../support/keyword-classifier';
import { createRig, key, type Rig } from './support';

async function sentimentClassifier(): Promise<IntentClassifier> {
  const pipeline = await getTextPipeline();
  const intents = createKeywordClassifier();
  return {
    async classify(text, locale): Promise<Classification> {
      return { ...(await intents.classify(text, locale)), sentiment: await analyzeSentiment(pipeline, text, locale) };
    },
  };
}

describe('handoff anger trigger with the real sentiment analyser (en + zh)', function () {
  this.timeout(60_000);
  let rig: Rig;
  before(async () => {
    rig = await createRig({ classifier: await sentimentClassifier() });
  });
  after(() => rig.close());

  const angry = ['This is ridiculous, where is my order?!', 'Your service is terrible, I am furious', '气死我了，订单到底在哪里！', '你们的服务太差了，垃圾'];
  const calm = ['where is my order', 'hello', '我要退款', '谢谢'];
  angry.forEach((text, i) => {
    it(`escalates: ${text}`, async () => {
      await rig.say(`angry-${i}`, text);
      const r = await rig.service.get(key(`angry-${i}`));
      assert.equal(r?.reason, 'sentiment');
      assert.equal(r?.priority, 1);
    });
  });
  calm.forEach((text, i) => {
    it(`does not escalate: ${text}`, async () => {
      await rig.say(`calm-${i}`, text);
      assert.equal(await rig.service.get(key(`calm-${i}`)), undefined);
    });
  });
});

import assert from 'node:assert/strict';
import { type Classification, type Engine, NONE_INTENT } from '../../core';
import { converse } from '../harness';
import { createDemoEngine, demoClassifier, payloads, recordHandoffs } from './demo-engine';

const unsure = (ranking: Classification['ranking']): Classification => ({ intent: NONE_INTENT, score: ranking[0]?.score ?? 0, ranking, entities: [] });

/** NLU outputs the fallback must handle, fixed so the test does not depend on a model's scores. */
const SCRIPT: Record<string, Classification> = {
  'the lamp thing from last week': unsure([
    { intent: NONE_INTENT, score: 0.4 },
    { intent: 'order.status', score: 0.32 },
    { intent: 'refund.request', score: 0.21 },
    { intent: 'faq.hours', score: 0.1 },
  ]),
  上周那个灯的事: unsure([
    { intent: 'order.status', score: 0.35 },
    { intent: 'refund.request', score: 0.3 },
  ]),
  'about paying': unsure([
    { intent: 'faq.payment', score: 0.3 },
    { intent: 'greeting', score: 0.25 },
    { intent: 'faq.hours', score: 0.05 },
  ]),
  'hmm well': unsure([
    { intent: 'thanks', score: 0.12 },
    { intent: 'faq.hours', score: 0.1 },
  ]),
};

/** Off-topic messages (not in the corpora) that any classifier trained on them should not place. */
const OFF_TOPIC = { en: ['tell me about dinosaurs', 'how do I bake bread'], zh: ['恐龙是怎么灭绝的', '周末去哪儿玩'] } as const;

describe('fallback dialog', () => {
  let engine: Engine;
  let scripted: Engine;
  before(async () => {
    engine = await createDemoEngine();
    const { classifier } = await demoClassifier();
    scripted = await createDemoEngine({ classifier: { classify: async (text, locale) => SCRIPT[text] ?? classifier.classify(text, locale) } });
  });
  after(async () => {
    await engine.close();
    await scripted.close();
  });

  describe('clarifying question', () => {
    it('asks "did you mean A or B" from the NLU ranking, and its buttons work (en)', async () => {
      await converse(scripted)
        .say('the lamp thing from last week')
        .expect('Sorry, I’m not sure I understood. Did you mean “Where’s my order?” or “Request a refund”?')
        .check((r) => assert.deepEqual(payloads(r), ['intent:order.status', 'intent:refund.request']))
        .press('intent:refund.request')
        .expectIntent('refund.request')
        .expect(/Which order would you like a refund for\?/);
    });

    it('asks in Chinese too', async () => {
      await converse(scripted)
        .say('上周那个灯的事')
        .expect('抱歉，我不太确定您的意思。您是想问“查询订单”，还是“申请退款”？')
        .press('intent:order.status')
        .expect(/请告诉我您的订单号/);
    });

    it('offers one candidate, skipping small talk and unlikely intents', async () => {
      await converse(scripted)
        .say('about paying')
        .expect('Sorry, I’m not sure I understood. Did you mean “Payment methods”?')
        .check((r) => assert.deepEqual(payloads(r), ['intent:faq.payment']));
    });

    it('lists the topics when nothing is plausible', async () => {
      await converse(scripted)
        .say('hmm well')
        .expect(/Sorry, I didn’t quite get that\. I can help you track an order/)
        .check((r) => assert.deepEqual(payloads(r), ['intent:order.status', 'intent:refund.request', 'intent:faq.shipping', 'intent:faq.returns', 'intent:faq.payment']));
    });
  });

  for (const locale of ['en', 'zh'] as const) {
    it(`turns an off-topic message into a question whose buttons lead somewhere (${locale}, trained classifier)`, async () => {
      const conversationId = `off-topic-${locale}`;
      const [first] = await converse(engine, { conversationId })
        .say(OFF_TOPIC[locale][0])
        .expect(locale === 'en' ? /Sorry, I( didn’t quite get that|’m not sure I understood)/ : /抱歉，我(没太明白|不太确定)您的意思/);
      assert.equal(first?.dialogId, 'fallback');
      assert.equal(first?.locale, locale);
      const buttons = first ? payloads(first) : [];
      assert.ok(buttons.length > 0 && buttons.every((p) => p.startsWith('intent:')), `buttons: ${buttons.join(', ')}`);
      for (const [i, payload] of buttons.entries()) {
        const pressed = await engine.handle({ channel: 'test', conversationId, userId: 'user-1', platformMessageId: `press-${i}`, payload });
        assert.equal(pressed.intent?.name, payload.slice('intent:'.length));
        assert.notEqual(pressed.dialogId, 'fallback');
        assert.equal(pressed.locale, locale);
        await engine.handle({ channel: 'test', conversationId, userId: 'user-1', platformMessageId: `cancel-${i}`, payload: 'intent:cancel' });
      }
    });

    it(`offers a person from the second miss in a row (${locale})`, async () => {
      const handoffs = recordHandoffs(engine);
      const offer = locale === 'en' ? /I can put you through to a person/ : /我也可以帮您转接人工客服/;
      await converse(engine)
        .say(OFF_TOPIC[locale][0])
        .expectNot(offer)
        .say(OFF_TOPIC[locale][1])
        .expect(offer)
        .check((r) => assert.equal(payloads(r).at(-1), 'intent:agent.request'))
        .press('intent:agent.request')
        .expect(locale === 'en' ? /connecting you/ : /正在为您转接/);
      assert.deepEqual(handoffs, [{ reason: 'requested' }]);
    });
  }

  it('starts counting misses again after an understood message', async () => {
    await converse(engine)
      .say(OFF_TOPIC.en[0])
      .say('hello')
      .say(OFF_TOPIC.en[1])
      .expectNot(/put you through to a person/);
  });

  describe('messages without text', () => {
    const photo = { kind: 'image' as const, attachments: [{ kind: 'image' as const, url: 'https://shop.example/u/lamp.jpg' }] };

    it('asks for words instead of a photo (en)', async () => {
      await converse(engine)
        .say('', photo)
        .expect(
          'Thanks for sending that! I can only read text for now, so could you describe it in words? For example “the base of my lamp arrived cracked” or “where is order 100234”.',
        );
    });

    it('asks for words in the conversation’s language (zh)', async () => {
      await converse(engine)
        .say('你好')
        .say('', photo)
        .expect(/收到啦！不过我目前只能看懂文字，麻烦您用文字描述一下/);
      await converse(engine)
        .say('', { kind: 'unsupported', locale: 'zh' })
        .expect(/只能看懂文字/);
      await converse(engine)
        .say('', { kind: 'file', attachments: [{ kind: 'file', name: 'receipt.pdf' }] })
        .expect(/I can only read text for now/);
    });
  });
});

import assert from 'node:assert/strict';
import { analyzeSentiment, getTextPipeline, type TextPipeline } from '../../intents';

const ANGRY_EN = [
  'This is terrible, I am so angry, worst service ever',
  'I want to speak to a manager NOW, this is ridiculous!!',
  'I have been waiting for two weeks, still nothing. Unacceptable.',
  'you people are useless',
  'this is a scam, I will sue you',
  'I am fed up with your awful support',
  'What a joke. Completely incompetent.',
];
const ANGRY_ZH = [
  '太差了',
  '气死了！',
  '垃圾客服',
  '非常不满意',
  '我要投诉',
  '等了半天都没人理，什么破服务',
  '你们是骗子吧',
  '真的受够了，退钱！',
  '什么鬼，太离谱了',
  '烦死了，到底什么时候发货',
];
/** One negative word is a complaint, not anger: negative, but above the handoff's anger threshold (−0.6). */
const NEGATIVE_NOT_ANGRY = [
  ['not happy at all with this', 'en'],
  ["I'm not happy with the colour, can I exchange it?", 'en'],
  ['tell me a joke', 'en'],
  ['that was a terrible joke', 'en'],
  ['不满意', 'zh'],
  ['不太满意', 'zh'],
  ['不喜欢可以退吗', 'zh'],
  ['有点失望，质量一般', 'zh'],
] as const;
const POSITIVE = [
  ['thanks a lot, great help', 'en'],
  ['perfect, thank you so much!', 'en'],
  ['谢谢你，很好', 'zh'],
  ['非常感谢', 'zh'],
  ['服务很棒，点赞', 'zh'],
] as const;
const NEUTRAL = [
  ['where is my order', 'en'],
  ['I want a refund', 'en'],
  ['can you help me change my address', 'en'],
  ['我的订单在哪里', 'zh'],
  ['我想退货', 'zh'],
  ['运费多少', 'zh'],
] as const;

describe('intents: sentiment', () => {
  let pipeline: TextPipeline;
  before(async () => {
    pipeline = await getTextPipeline();
  });

  it('angry English texts are clearly negative', async () => {
    for (const text of ANGRY_EN) {
      const s = await analyzeSentiment(pipeline, text, 'en');
      assert.equal(s.label, 'negative', text);
      assert.ok(s.score <= -0.5, `${text}: ${s.score}`);
    }
  });

  it('angry Chinese texts are clearly negative (negation and intensifiers included)', async () => {
    for (const text of ANGRY_ZH) {
      const s = await analyzeSentiment(pipeline, text, 'zh');
      assert.equal(s.label, 'negative', text);
      assert.ok(s.score <= -0.5, `${text}: ${s.score}`);
    }
  });

  it('one negative word is not anger: at most negative, never at the anger threshold', async () => {
    for (const [text, locale] of NEGATIVE_NOT_ANGRY) {
      const s = await analyzeSentiment(pipeline, text, locale);
      assert.ok(s.score > -0.6, `${text}: ${s.score}`);
    }
  });

  it('anger takes several cues: a second negative word, an intensifier, "!!", shouting or blame', async () => {
    const en = async (t: string) => (await analyzeSentiment(pipeline, t, 'en')).score;
    const zh = async (t: string) => (await analyzeSentiment(pipeline, t, 'zh')).score;
    assert.ok((await en('this is terrible')) > -0.6);
    assert.ok((await en('this is terrible!!')) <= -0.6);
    assert.ok((await en('terrible and rude')) <= -0.6);
    assert.ok((await en('WHERE IS MY ORDER??')) <= -0.6);
    assert.ok((await zh('差')) > -0.6);
    assert.ok((await zh('太差了')) <= -0.6);
    assert.ok((await zh('敷衍')) > -0.6 && (await zh('你们太敷衍了')) <= -0.6);
    assert.ok((await zh('你会不会生气')) <= 0, 'an A-not-A question negates nothing (生气 stays negative)');
  });

  it('thanks are positive and plain requests neutral', async () => {
    for (const [text, locale] of POSITIVE) assert.equal((await analyzeSentiment(pipeline, text, locale)).label, 'positive', text);
    for (const [text, locale] of NEUTRAL) assert.equal((await analyzeSentiment(pipeline, text, locale)).label, 'neutral', text);
  });

  it('negation flips and intensifiers strengthen', async () => {
    const zh = async (t: string) => (await analyzeSentiment(pipeline, t, 'zh')).score;
    const en = async (t: string) => (await analyzeSentiment(pipeline, t, 'en')).score;
    assert.ok((await zh('满意')) > 0.25 && (await zh('不满意')) < -0.25);
    assert.ok((await zh('太差了')) < (await zh('差')));
    assert.ok((await zh('不差')) > (await zh('差')));
    assert.ok((await en('happy')) > 0.25 && (await en('not happy')) < -0.25);
    assert.ok((await en('extremely bad')) < (await en('bad')));
    assert.ok((await en('this is bad!!!')) < (await en('this is bad')));
  });

  it('scores stay within -1 … 1', async () => {
    const s = await analyzeSentiment(pipeline, 'worst worst worst terrible awful scam fraud!!! FURIOUS', 'en');
    assert.ok(s.score >= -1 && s.score < -0.9);
  });
});

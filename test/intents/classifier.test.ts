import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isKefuError, NONE_INTENT, silentLogger } from '../../core';
import { createNluClassifier, type NluClassifier } from '../../intents';

const FIXTURES = join(__dirname, 'fixtures', 'locales');
const PROBES: Array<[string, 'en' | 'zh', string]> = [
  ['hello there', 'en', 'greeting'],
  ['where is my parcel, order 100234', 'en', 'order.status'],
  ['I would like my money back', 'en', 'refund.request'],
  ['please let me talk to a real human', 'en', 'agent.request'],
  ['how long is delivery to Canada', 'en', 'faq.shipping'],
  ['cancel order 100234 please', 'en', 'cancel'],
  ['thank you very much', 'en', 'thanks'],
  ['bye bye', 'en', 'goodbye'],
  ['帮我查一下订单到哪了', 'zh', 'order.status'],
  ['我要退款', 'zh', 'refund.request'],
  ['转人工客服', 'zh', 'agent.request'],
  ['你好啊', 'zh', 'greeting'],
  ['取消这个订单', 'zh', 'cancel'],
  ['运费怎么算', 'zh', 'faq.shipping'],
];

/** The model files in the cache (the pipeline may keep its Chinese word list there too). */
const models = (dir: string) => readdirSync(dir).filter((f) => f.startsWith('nlu-'));

describe('intents: createNluClassifier', () => {
  let dir: string;
  let cacheDir: string;
  let nlu: NluClassifier;
  const progress: string[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kefu-nlu-'));
    cacheDir = join(dir, 'models');
    cpSync(FIXTURES, join(dir, 'locales'), { recursive: true });
    nlu = await createNluClassifier({ localesDir: join(dir, 'locales'), cacheDir, onProgress: (p) => progress.push(`${p.locale}:${p.done}/${p.total}`) });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('classifies paraphrases of the training utterances in en and zh', async () => {
    for (const [text, locale, intent] of PROBES) {
      const c = await nlu.classify(text, locale);
      assert.equal(c.intent, intent, `"${text}" → ${c.intent} (${c.score})`);
      assert.ok(c.score >= 0.5 && c.score <= 1, `${text}: score ${c.score}`);
    }
  });

  it('returns None for gibberish, with a ranking of at most 5 summing to no more than 1', async () => {
    for (const [text, locale] of [
      ['qwzx plmkj vbnrt', 'en'],
      ['xkcd zzzz qqqq', 'en'],
      ['啊啊啊哦哦哦', 'zh'],
    ] as const) {
      const c = await nlu.classify(text, locale);
      assert.equal(c.intent, NONE_INTENT, `"${text}" → ${c.intent} (${c.score})`);
      assert.ok(c.ranking.length <= 5);
      assert.ok(c.ranking.reduce((s, r) => s + r.score, 0) <= 1.000001);
      assert.deepEqual(
        c.ranking.map((r) => r.score),
        [...c.ranking.map((r) => r.score)].sort((a, b) => b - a),
      );
    }
  });

  it('returns entities and sentiment with the intent', async () => {
    const c = await nlu.classify('where is my order #100234? this is terrible!', 'en');
    assert.equal(c.intent, 'order.status');
    assert.deepEqual(
      c.entities.map((e) => [e.type, e.value]),
      [['orderNumber', '100234']],
    );
    assert.equal(c.sentiment?.label, 'negative');
  });

  it('reports progress, intents and a model hash per locale', () => {
    assert.ok(progress.includes('en:1/48') && progress.at(-1)?.startsWith('zh:'));
    assert.deepEqual(nlu.locales().sort(), ['en', 'zh']);
    assert.ok(nlu.intents('en').includes('order.status'));
    assert.match(nlu.modelHash('en'), /^[0-9a-f]{16}$/);
    assert.notEqual(nlu.modelHash('en'), nlu.modelHash('zh'));
  });

  it('loads from the cache on restart without training, with identical predictions', async () => {
    assert.equal(models(cacheDir).length, 2);
    let trained = false;
    const again = await createNluClassifier({ localesDir: join(dir, 'locales'), cacheDir, onProgress: () => (trained = true) });
    assert.equal(trained, false);
    assert.equal(again.modelHash('en'), nlu.modelHash('en'));
    const texts = [...PROBES.map(([t, l]) => [t, l] as const), ['completely unrelated words', 'en'] as const];
    for (const [text, locale] of texts) assert.deepEqual(await again.classify(text, locale), await nlu.classify(text, locale));
  });

  it('retrains when the corpus changes, and a damaged cache file is retrained, not trusted', async () => {
    const file = join(dir, 'locales', 'en', 'corpus.json');
    const corpus = JSON.parse(readFileSync(file, 'utf8'));
    corpus.data[0].utterances.push('howdy partner');
    writeFileSync(file, JSON.stringify(corpus));
    const changed = await createNluClassifier({ localesDir: join(dir, 'locales'), cacheDir });
    assert.notEqual(changed.modelHash('en'), nlu.modelHash('en'));
    assert.equal(changed.modelHash('zh'), nlu.modelHash('zh'));
    // the stale en model is gone, the new one and the unchanged zh one stay
    assert.deepEqual(models(cacheDir).sort(), [`nlu-en-${changed.modelHash('en')}.json`, `nlu-zh-${nlu.modelHash('zh')}.json`]);
    const zhFile = readdirSync(cacheDir).find((f) => f.startsWith(`nlu-zh-${nlu.modelHash('zh')}`)) as string;
    writeFileSync(join(cacheDir, zhFile), '{"version":"broken"');
    let trained = false;
    const repaired = await createNluClassifier({ localesDir: join(dir, 'locales'), cacheDir, onProgress: (p) => (trained ||= p.locale === 'zh') });
    assert.equal(trained, true);
    assert.equal((await repaired.classify('我要退款', 'zh')).intent, 'refund.request');
  });

  it('keeps working when the cache cannot be written, and says so in the log', async () => {
    const blocked = join(dir, 'not-a-dir');
    writeFileSync(blocked, 'a file where the cache folder should be');
    const warnings: object[] = [];
    const log = { ...silentLogger, warn: (obj: object) => warnings.push(obj), child: () => log };
    const nluNoCache = await createNluClassifier({ localesDir: FIXTURES, cacheDir: join(blocked, 'models'), log });
    assert.equal((await nluNoCache.classify('我要退款', 'zh')).intent, 'refund.request');
    assert.equal(warnings.length, 2);
    assert.ok(!JSON.stringify(warnings).includes('退款'));
  });

  it('throws KEFU_ERR_NLU_MODEL_MISSING for a locale without a model', async () => {
    const only = mkdtempSync(join(tmpdir(), 'kefu-nlu-en-'));
    try {
      cpSync(join(FIXTURES, 'en'), join(only, 'en'), { recursive: true });
      const enOnly = await createNluClassifier({ localesDir: only });
      await assert.rejects(enOnly.classify('你好', 'zh'), (err) => isKefuError(err, 'KEFU_ERR_NLU_MODEL_MISSING') && /zh/.test(err.message));
      assert.throws(
        () => enOnly.intents('zh'),
        (err) => isKefuError(err, 'KEFU_ERR_NLU_MODEL_MISSING'),
      );
    } finally {
      rmSync(only, { recursive: true, force: true });
    }
  });
});

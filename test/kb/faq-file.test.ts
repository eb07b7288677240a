/**
 * The knowledge base format (`locales/<lang>/faq.json`): the demo's files are valid and bilingual,
 * a bad file is a KEFU_ERR_KB_INVALID naming the file and the entry, and FAQ questions merge into
 * the corpus (deleted FAQ intents leave the training).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isKefuError } from '../../core';
import { faqDialogs } from '../../dialogs/faq';
import { loadCorpora, loadFaqFiles, mergeFaqExamples, parseFaqFile } from '../../intents';
import { LOCALES_DIR } from '../support/demo-nlu';

const invalid = (pattern: RegExp) => (err: unknown) => isKefuError(err) && err.code === 'KEFU_ERR_KB_INVALID' && pattern.test(err.message);
const entry = { intent: 'faq.gift', title: 'Gift wrap', questions: ['do you gift wrap?'], answer: 'Yes, for ¥10.' };
const file = (entries: unknown[], locale = 'en') => JSON.stringify({ locale, entries });

describe('knowledge base files (faq.json)', () => {
  it('the demo has the same FAQ intents in English and Chinese, each answered by a dialog', () => {
    const files = loadFaqFiles(LOCALES_DIR);
    const intents = (l: 'en' | 'zh') => files.get(l)?.map((e) => e.intent);
    assert.deepEqual(intents('en'), ['faq.shipping', 'faq.returns', 'faq.payment', 'faq.hours']);
    assert.deepEqual(intents('zh'), intents('en'));
    assert.deepEqual(
      faqDialogs.map((d) => [d.id, d.label?.en, d.label?.zh]),
      [
        ['faq-shipping', 'Shipping & delivery', '配送与运费'],
        ['faq-returns', 'Returns policy', '退换货政策'],
        ['faq-payment', 'Payment methods', '支付方式'],
        ['faq-hours', 'Service hours', '客服时间'],
      ],
    );
  });

  it('parses an entry with defaults (no buttons)', () => {
    assert.deepEqual(parseFaqFile(file([entry]), 'f.json', 'en'), [{ ...entry, buttons: [] }]);
  });

  it('names the file and the entry of every problem', () => {
    assert.throws(() => parseFaqFile('{"locale": "en",', 'locales/en/faq.json'), invalid(/locales\/en\/faq\.json.*not valid JSON/));
    assert.throws(
      () => parseFaqFile(file([entry, { ...entry, intent: 'faq.x', answer: ' ' }]), 'f.json'),
      invalid(/f\.json entry 1 \("faq\.x"\) is invalid: answer: must not be empty/),
    );
    assert.throws(() => parseFaqFile(file([{ ...entry, intent: 'order.status' }]), 'f.json'), invalid(/entry 0 \("order\.status"\) is invalid: intent: must be faq\.<name>/));
    assert.throws(() => parseFaqFile(file([{ ...entry, questions: [] }]), 'f.json'), invalid(/entry 0 \("faq\.gift"\) is invalid: questions: needs at least one question/));
    assert.throws(() => parseFaqFile(file([{ ...entry, buttons: [{ label: 'x' }] }]), 'f.json'), invalid(/entry 0 \("faq\.gift"\) is invalid: buttons\.0/));
    assert.throws(() => parseFaqFile(file([{ ...entry, colour: 'red' }]), 'f.json'), invalid(/entry 0 \("faq\.gift"\)/));
    assert.throws(() => parseFaqFile(file([entry, entry]), 'f.json'), invalid(/"faq\.gift" is listed twice/));
    assert.throws(() => parseFaqFile(file([entry], 'zh'), 'f.json', 'en'), invalid(/"locale" is "zh" but the file is in the en folder/));
  });

  it('merges FAQ questions into the corpus without repeats; a deleted FAQ leaves the training', () => {
    const corpus = loadCorpora(LOCALES_DIR).get('en')?.examples ?? [];
    const faq = loadFaqFiles(LOCALES_DIR).get('en') ?? [];
    assert.deepEqual(mergeFaqExamples(corpus, { entries: faq }), corpus, 'the demo questions are all in the corpus already');
    const added = mergeFaqExamples(corpus, { entries: [...faq, { ...entry, buttons: [] }] });
    assert.deepEqual(added.slice(corpus.length), [{ text: 'do you gift wrap?', intent: 'faq.gift' }]);
    const without = mergeFaqExamples(corpus, { entries: faq.filter((e) => e.intent !== 'faq.hours'), retired: ['faq.hours'] });
    assert.equal(without.filter((e) => e.intent === 'faq.hours').length, 0);
    assert.equal(without.length, corpus.length - corpus.filter((e) => e.intent === 'faq.hours').length);
  });

  it('documents the format in locales/en/README.md', () => {
    const readme = readFileSync(join(LOCALES_DIR, 'en', 'README.md'), 'utf8');
    assert.match(readme, /faq\.json/);
  });
});

/** mergeIntoCorpus: labelled examples go into a corpus file in place, in the file's own layout, never twice. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mergeIntoCorpus } from '../../plugins/analytics';
import { parseCorpus } from '../../intents';

const INLINE = readFileSync(join(__dirname, '..', 'intents', 'fixtures', 'locales', 'en', 'corpus.json'), 'utf8');
const PRETTY = `${JSON.stringify(
  {
    locale: 'zh',
    data: [
      { intent: 'greeting', utterances: ['你好', '您好'] },
      { intent: 'refund.request', utterances: ['我要退款'] },
    ],
  },
  null,
  2,
)}\n`;

/** The text `after` equals `before` with only `inserted` added somewhere (nothing moved or re-printed). */
function onlyInserted(before: string, after: string): string {
  let i = 0;
  while (before[i] === after[i]) i++;
  let j = 0;
  while (j < before.length - i && before[before.length - 1 - j] === after[after.length - 1 - j]) j++;
  assert.equal(before.length - i - j, 0, 'nothing of the original text changed');
  return after.slice(i, after.length - j);
}

describe('mergeIntoCorpus', () => {
  it('appends to an intent of a one-line-per-intent file with its ", " separator, nothing else changes', () => {
    const r = mergeIntoCorpus(INLINE, 'en/corpus.json', [
      { text: 'the thingamajig is wobbly', intent: 'refund.request' },
      { text: 'say "hi" \\ back', intent: 'greeting' },
    ]);
    assert.deepEqual(r.skipped, []);
    assert.equal(r.added.length, 2);
    const lines = r.raw.split('\n');
    assert.equal(lines.length, INLINE.split('\n').length, 'same number of lines');
    assert.match(r.raw, /"please refund \$25", "the thingamajig is wobbly"\] \}/);
    assert.match(r.raw, /"hey there, good evening", "say \\"hi\\" \\\\ back"\] \}/);
    const examples = parseCorpus(r.raw, 'en/corpus.json', 'en');
    assert.ok(examples.some((e) => e.text === 'say "hi" \\ back' && e.intent === 'greeting'));
  });

  it('in a pretty-printed file the result is exactly the pretty-printed corpus (stable formatting)', () => {
    const r = mergeIntoCorpus(
      PRETTY,
      'zh/corpus.json',
      [
        { text: '小部件晃动得厉害', intent: 'refund.request' },
        { text: '东西坏了怎么办', intent: 'product.broken' },
      ],
      { allowNewIntents: true },
    );
    const expected = JSON.parse(PRETTY) as { data: Array<{ intent: string; utterances: string[] }> };
    expected.data[1]?.utterances.push('小部件晃动得厉害');
    expected.data.push({ intent: 'product.broken', utterances: ['东西坏了怎么办'] });
    assert.equal(r.raw, `${JSON.stringify(expected, null, 2)}\n`);
    assert.equal(onlyInserted(PRETTY, r.raw).includes('小部件晃动得厉害'), true);
  });

  it('the shipped corpus stays byte-for-byte pretty-printed after a merge', () => {
    const real = readFileSync(join(__dirname, '..', '..', 'locales', 'en', 'corpus.json'), 'utf8');
    const r = mergeIntoCorpus(real, 'locales/en/corpus.json', [{ text: 'the thingamajig is wobbly', intent: 'refund.request' }]);
    const expected = JSON.parse(real) as { data: Array<{ intent: string; utterances: string[] }> };
    expected.data.find((d) => d.intent === 'refund.request')?.utterances.push('the thingamajig is wobbly');
    assert.equal(r.raw, `${JSON.stringify(expected, null, 2)}\n`);
  });

  it('a new intent in a one-line file gets one line like the others', () => {
    const r = mergeIntoCorpus(INLINE, 'en/corpus.json', [{ text: 'my lamp flickers', intent: 'product.faulty' }], { allowNewIntents: true });
    assert.equal(onlyInserted(INLINE, r.raw), ',\n    { "intent": "product.faulty", "utterances": ["my lamp flickers"] }');
  });

  it('skips what is already there (case, spaces and punctuation ignored), reports conflicts and unknown intents', () => {
    const r = mergeIntoCorpus(INLINE, 'en/corpus.json', [
      { text: 'Track my order!', intent: 'order.status' },
      { text: 'TRACK MY ORDER', intent: 'refund.request' },
      { text: 'my lamp flickers', intent: 'product.faulty' },
      { text: 'fresh one', intent: 'thanks' },
      { text: 'Fresh one.', intent: 'thanks' },
    ]);
    assert.deepEqual(
      r.skipped.map((s) => [s.text, s.reason, s.other]),
      [
        ['Track my order!', 'duplicate', undefined],
        ['TRACK MY ORDER', 'conflict', 'order.status'],
        ['my lamp flickers', 'unknown-intent', undefined],
        ['Fresh one.', 'duplicate', undefined],
      ],
    );
    assert.deepEqual(r.added, [{ text: 'fresh one', intent: 'thanks' }]);
    assert.equal(onlyInserted(INLINE, r.raw), ', "fresh one"');
    const none = mergeIntoCorpus(INLINE, 'en/corpus.json', [{ text: 'hello', intent: 'greeting' }]);
    assert.equal(none.raw, INLINE, 'nothing new: the text is returned as it was');
  });

  it('refuses a file that is not a corpus with KEFU_ERR_NLU_CORPUS_INVALID', () => {
    assert.throws(() => mergeIntoCorpus('{ "data": ', 'x.json', []), { code: 'KEFU_ERR_NLU_CORPUS_INVALID' });
    assert.throws(() => mergeIntoCorpus('{ "locale": "en" }', 'x.json', []), { code: 'KEFU_ERR_NLU_CORPUS_INVALID' });
  });
});

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isKefuError } from '../../core';
import { createNluClassifier, loadCorpora, parseCorpus } from '../../intents';
import { parseJsonl } from '../../intents/eval/dataset';

const invalid = (pattern: RegExp) => (err: unknown) => isKefuError(err, 'KEFU_ERR_NLU_CORPUS_INVALID') && pattern.test(err.message);

describe('intents: corpus files', () => {
  it('flattens intents and utterances', () => {
    const examples = parseCorpus(
      JSON.stringify({
        locale: 'en',
        data: [
          { intent: 'a', utterances: ['x', 'y'] },
          { intent: 'b', utterances: ['z'] },
        ],
      }),
      'c.json',
    );
    assert.deepEqual(examples, [
      { text: 'x', intent: 'a' },
      { text: 'y', intent: 'a' },
      { text: 'z', intent: 'b' },
    ]);
  });

  it('names the file and the problem for malformed corpora', () => {
    assert.throws(() => parseCorpus('{"locale": "en", ', 'locales/en/corpus.json'), invalid(/locales\/en\/corpus\.json.*not valid JSON/));
    assert.throws(() => parseCorpus('{"locale": "en", "data": [{"intent": "a"}]}', 'f.json'), invalid(/f\.json.*data\.0\.utterances/));
    assert.throws(
      () => parseCorpus('{"locale": "en", "data": [{"intent": "a", "utterances": ["  "]}, {"intent": "b", "utterances": ["x"]}]}', 'f.json'),
      invalid(/utterances must not be empty/),
    );
    assert.throws(() => parseCorpus('{"locale": "fr", "data": [{"intent": "a", "utterances": ["x"]}]}', 'f.json'), invalid(/locale/));
    assert.throws(() => parseCorpus('{"locale": "en", "data": [{"intent": "a", "utterances": ["x"]}]}', 'f.json'), invalid(/at least two different intents/));
    assert.throws(
      () => parseCorpus('{"locale": "zh", "data": [{"intent": "a", "utterances": ["x"]}, {"intent": "b", "utterances": ["y"]}]}', 'f.json', 'en'),
      invalid(/zh.*en folder/),
    );
  });

  it('fails createNluClassifier with the corpus error, and when no corpus exists at all', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kefu-corpus-'));
    try {
      assert.throws(() => loadCorpora(dir), invalid(/no corpus found/));
      mkdirSync(join(dir, 'en'));
      writeFileSync(join(dir, 'en', 'corpus.json'), '{"locale": "en", "data": []}');
      await assert.rejects(createNluClassifier({ localesDir: dir }), invalid(/en\/corpus\.json.*data/));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads JSONL datasets and points at the bad line', () => {
    assert.deepEqual(parseJsonl('{"text":"hi","intent":"greet"}\n\n{"text":"bye","intent":"bye"}\n', 'd.jsonl'), [
      { text: 'hi', intent: 'greet' },
      { text: 'bye', intent: 'bye' },
    ]);
    assert.throws(() => parseJsonl('{"text":"hi","intent":"greet"}\n{"text":"x"}', 'd.jsonl'), invalid(/d\.jsonl:2/));
    assert.throws(() => parseJsonl('{"text":"hi","intent":"greet"}\nnope', 'd.jsonl'), invalid(/d\.jsonl:2 is not valid JSON/));
    assert.throws(() => parseJsonl('\n', 'd.jsonl'), invalid(/no rows/));
  });
});

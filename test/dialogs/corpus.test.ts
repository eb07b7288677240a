import assert from 'node:assert/strict';
import { LOCALES, NONE_INTENT } from '../../core';
import { demoIntents } from '../../dialogs';
import { readCorpus } from '../support/demo-nlu';

/** Case, spaces and punctuation do not make two utterances different. */
const normalize = (s: string) =>
  s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s.,!?;:~。，！？；：、…“”"'‘’]+/g, ' ')
    .trim();

const REQUIRED_AGENT_PHRASES = { en: ['human', 'agent', 'real person'], zh: ['人工', '转人工', '找客服'] } as const;

describe('demo intent corpora', () => {
  for (const locale of LOCALES) {
    describe(locale, () => {
      const corpus = readCorpus(locale);

      it('covers exactly the intents the demo dialogs trigger on, plus out-of-scope examples (None)', () => {
        assert.deepEqual(corpus.data.map((d) => d.intent).sort(), [...demoIntents, NONE_INTENT].sort());
      });

      it('has at least 30 utterances per intent', () => {
        for (const { intent, utterances } of corpus.data) assert.ok(utterances.length >= 30, `${locale}/${intent} has only ${utterances.length} utterances`);
      });

      it('has no utterance twice, within or across intents', () => {
        const owner = new Map<string, string>();
        const clashes: string[] = [];
        for (const { intent, utterances } of corpus.data) {
          for (const u of utterances) {
            const key = normalize(u);
            const first = owner.get(key);
            if (first) clashes.push(`"${u}" in ${intent} repeats an utterance of ${first}`);
            else owner.set(key, intent);
          }
        }
        assert.deepEqual(clashes, []);
      });

      it('asks for a human in the words customers use', () => {
        const agent = corpus.data.find((d) => d.intent === 'agent.request')?.utterances.map(normalize) ?? [];
        for (const phrase of REQUIRED_AGENT_PHRASES[locale]) assert.ok(agent.includes(phrase), `agent.request lacks "${phrase}"`);
      });

      it('has order questions with and without order numbers', () => {
        for (const intent of ['order.status', 'refund.request']) {
          const utterances = corpus.data.find((d) => d.intent === intent)?.utterances ?? [];
          const withNumber = utterances.filter((u) => /\d{6}/.test(u)).length;
          assert.ok(withNumber >= 3 && withNumber <= utterances.length / 2, `${locale}/${intent}: ${withNumber} of ${utterances.length} carry an order number`);
        }
      });

      it('is written in its own language', () => {
        const han = /[\u4e00-\u9fff]/;
        for (const { intent, utterances } of corpus.data) {
          const foreign = utterances.filter((u) => (locale === 'zh' ? !han.test(u) && !/^\d+$/.test(u) && !/^3q$/i.test(u) : han.test(u)));
          assert.deepEqual(foreign, [], `${locale}/${intent} has utterances in the other language`);
        }
      });
    });
  }
});

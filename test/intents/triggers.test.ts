/**
 * Issue 11 item 4: the escalation triggers on the labelled set in test/fixtures/triggers, with the
 * demo bot's real NLU and the real handoff plugin in-process (bench/triggers/evaluate.ts, which
 * `npm run bench triggers` prints). Targets: explicit requests recall 100 %, anger recall ≥ 90 %,
 * false escalations ≤ 1 %, per language, on every row (dev and held-out alike).
 */
import assert from 'node:assert/strict';
import type { Locale } from '../../core';
import { loadTriggerCases, mistakes, runTriggerCases, summarize, TRIGGER_LABELS, type TriggerOutcome } from '../../bench/triggers/evaluate';
import { demoNlu, readCorpus } from '../support/demo-nlu';

const norm = (s: string) => s.toLowerCase().replace(/[\s\p{P}\p{S}]+/gu, '');
const show = (rows: readonly TriggerOutcome[]) => mistakes(rows).map((m) => `${m.label} → ${m.intent} ${m.sentiment} ${m.reason ?? '-'}: ${m.text}`);

describe('escalation triggers on the labelled set (demo NLU + handoff plugin)', function () {
  this.timeout(120_000);
  const results = new Map<Locale, TriggerOutcome[]>();
  before(async () => {
    const nlu = await demoNlu();
    for (const locale of ['en', 'zh'] as const) results.set(locale, await runTriggerCases(nlu, locale, loadTriggerCases(locale)));
  });

  it('the set has at least 200 messages, every label in both languages, none of them in the training corpora', () => {
    let total = 0;
    for (const locale of ['en', 'zh'] as const) {
      const cases = loadTriggerCases(locale);
      total += cases.length;
      for (const label of TRIGGER_LABELS) assert.ok(cases.filter((c) => c.label === label).length >= 10, `${locale}: ${label}`);
      const trained = new Set(readCorpus(locale).data.flatMap((d) => d.utterances.map(norm)));
      assert.deepEqual(
        cases.filter((c) => trained.has(norm(c.text))).map((c) => c.text),
        [],
      );
    }
    assert.ok(total >= 200, `${total} messages`);
  });

  for (const locale of ['en', 'zh'] as const) {
    it(`${locale}: every explicit request for a person escalates (recall 100 %)`, () => {
      const rows = results.get(locale) ?? [];
      const r = summarize(rows);
      assert.equal(r.request.recall.value, 1, show(rows.filter((x) => x.label === 'request')).join('\n'));
    });

    it(`${locale}: angry messages escalate for anger (recall ≥ 90 %)`, () => {
      const rows = results.get(locale) ?? [];
      const r = summarize(rows);
      assert.ok((r.anger.recall.value ?? 0) >= 0.9, `${r.anger.recall.hits}/${r.anger.recall.of}\n${show(rows.filter((x) => x.label === 'angry')).join('\n')}`);
    });

    it(`${locale}: calm complaints, jokes, questions about hours or agents, shop questions and gibberish do not escalate (≤ 1 %)`, () => {
      const rows = results.get(locale) ?? [];
      const r = summarize(rows);
      assert.ok((r.falseEscalation.value ?? 1) <= 0.01, `${r.falseEscalation.hits}/${r.falseEscalation.of}\n${show(rows).join('\n')}`);
    });
  }

  it("the issue's four findings: a joke, mild dislike, a question about weekend agents, gibberish", async () => {
    const nlu = await demoNlu();
    const outcome = async (text: string, locale: Locale) => (await runTriggerCases(nlu, locale, [{ text, label: 'chitchat', split: 'dev' }]))[0];
    const joke = await outcome('tell me a joke', 'en');
    assert.equal(joke?.reason, undefined);
    assert.ok((joke?.sentiment ?? -1) > -0.25, `tell me a joke: ${joke?.sentiment}`);
    const dislike = await outcome('不喜欢可以退吗', 'zh');
    assert.deepEqual([dislike?.intent, dislike?.reason], ['faq.returns', undefined]);
    const weekend = await outcome('周末有人工客服吗', 'zh');
    assert.deepEqual([weekend?.intent, weekend?.reason], ['faq.hours', undefined]);
    assert.equal((await outcome('阿斯顿发个', 'zh'))?.intent, 'None');
  });
});

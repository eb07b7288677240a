/**
 * Retraining without downtime, and a second instance picking up an edit: the retrainer swaps the
 * model only when a training succeeded (a failure keeps the old one and reports its error), edits
 * during a training are coalesced into one more; an edit saved on instance A reaches instance B
 * through the cluster bus (`reload()`), which answers it and learns its questions.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Classification, createEngine, emptyClassification, KefuError, silentLogger } from '../../core';
import { createMemoryData } from '../../core/data/memory';
import { demoDialogs } from '../../dialogs';
import type { NluClassifier } from '../../intents';
import { createRetrainer } from '../../server/kb/retrainer';
import { type KbBus, wireKnowledgeBase } from '../../server/kb/wire';
import { LOCALES_DIR } from '../support/demo-nlu';

function fakeModel(name: string): NluClassifier {
  return {
    classify: async (): Promise<Classification> => ({ ...emptyClassification(), intent: name, score: 1 }),
    intents: () => [name],
    modelHash: () => name,
    locales: () => ['en'],
  };
}

/** Buses of instances that hear each other's messages (never their own). */
function createBuses(count: number): KbBus[] {
  const handlers: Array<Array<(p: unknown) => void>> = Array.from({ length: count }, () => []);
  return handlers.map((mine, i) => ({
    publish: (_topic, payload) => {
      for (const [j, hs] of handlers.entries()) if (j !== i) for (const h of hs) h(payload);
    },
    subscribe: (_topic, handler) => void mine.push(handler),
  }));
}

describe('knowledge base retraining', () => {
  it('swaps the model only after a successful training; a failure keeps the old model and says why', async () => {
    const builds: Array<() => Promise<NluClassifier>> = [
      async () => {
        throw new KefuError('KEFU_ERR_KB_INVALID', 'Knowledge base entry is invalid: answer: must not be empty.');
      },
      async () => fakeModel('v2'),
    ];
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const next = async () => {
      await gate;
      return (builds.shift() as () => Promise<NluClassifier>)();
    };
    const r = createRetrainer(fakeModel('v1'), next, { log: silentLogger, now: () => 7 });
    const first = r.retrain();
    assert.equal(r.status().state, 'training');
    assert.equal((await r.classifier.classify('x', 'en')).intent, 'v1', 'the old model answers during the training');
    release();
    await first;
    assert.equal(r.status().state, 'failed');
    assert.deepEqual(r.status().error, { code: 'KEFU_ERR_KB_INVALID', message: 'Knowledge base entry is invalid: answer: must not be empty.' });
    assert.equal((await r.classifier.classify('x', 'en')).intent, 'v1', 'still the old model');
    await r.retrain();
    assert.deepEqual([r.status().state, r.status().error, r.status().models], ['ready', undefined, { en: 'v2' }]);
    assert.equal((await r.classifier.classify('x', 'en')).intent, 'v2');
  });

  it('coalesces edits made during a training into one more training', async () => {
    let trainings = 0;
    let release: () => void = () => {};
    const r = createRetrainer(
      fakeModel('v0'),
      async () => {
        trainings += 1;
        const n = trainings;
        await new Promise<void>((res) => {
          release = res;
        });
        return fakeModel(`v${n}`);
      },
      { log: silentLogger, now: Date.now },
    );
    const edits = [r.retrain(), r.retrain(), r.retrain()];
    await new Promise((res) => setImmediate(res));
    release(); // the first training ends; the two edits made meanwhile need one more
    await new Promise((res) => setImmediate(res));
    release();
    await Promise.all(edits);
    assert.equal(trainings, 2);
    assert.deepEqual([r.status().requested, r.status().trained], [3, 3]);
    assert.equal((await r.classifier.classify('x', 'en')).intent, 'v2');
  });

  it('an edit on instance A is answered and learned by instance B after the bus tells it to reload', async function () {
    this.timeout(60_000);
    const dir = mkdtempSync(join(tmpdir(), 'kefu-kb-multi-'));
    const config = { LOCALES_DIR: LOCALES_DIR, DATA_DIR: dir, NLU_THRESHOLD: 0.5 };
    const data = createMemoryData(); // what both instances share (the store)
    const [busA, busB] = createBuses(2);
    try {
      const routed = new Set(demoDialogs.flatMap((d) => d.triggers));
      const a = await wireKnowledgeBase(config, data, silentLogger, routed);
      const b = await wireKnowledgeBase(config, data, silentLogger, routed);
      a.attach(createEngine({ classifier: a.classifier, dialogs: demoDialogs, data }), busA);
      b.attach(createEngine({ classifier: b.classifier, dialogs: demoDialogs, data }), busB);
      const entry = {
        intent: 'faq.gift',
        title: 'Gift wrap',
        questions: ['do you gift wrap', 'can you wrap it as a present', 'gift wrapping please', 'is gift wrap available', 'wrap my order as a gift'],
        answer: 'Gift wrap is ¥10.',
      };
      await a.kb.create(entry, { locale: 'en', by: 'lilei' });
      a.changed();
      for (let i = 0; i < 100 && !b.kb.answer('faq.gift', 'en'); i++) await new Promise((res) => setTimeout(res, 20));
      assert.equal(b.kb.answer('faq.gift', 'en')?.text, 'Gift wrap is ¥10.');
      await b.settled();
      assert.equal((await b.classifier.classify('could you gift wrap it', 'en')).intent, 'faq.gift');
      await a.settled();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

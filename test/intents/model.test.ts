import assert from 'node:assert/strict';
import { fitTemperature, negLogLikelihood } from '../../intents/calibration';
import { computeMetrics } from '../../intents/eval/metrics';
import { createRandom, linearScores, trainLinear } from '../../intents/linear-trainer';
import type { SparseVector } from '../../intents/vectorizer';
import { fitVectorizer, vectorize } from '../../intents/vectorizer';
import { extractTerms, termBlock } from '../../intents/features';
import { getTextPipeline } from '../../intents/text-pipeline';
import { createProgressBar } from '../../intents/progress-bar';

describe('intents: model internals', () => {
  it('temperature scaling recovers the temperature that generated the labels', () => {
    const random = createRandom(3);
    const logits: Float64Array[] = [];
    const labels: number[] = [];
    for (let i = 0; i < 4000; i++) {
      const z = Float64Array.from({ length: 5 }, () => random() * 8);
      const p = Array.from(z, (v) => Math.exp(v / 2.5));
      const sum = p.reduce((a, b) => a + b, 0);
      let u = random() * sum;
      let k = 0;
      while (u > (p[k] as number) && k < 4) u -= p[k++] as number;
      logits.push(z);
      labels.push(k);
    }
    const t = fitTemperature(logits, labels);
    assert.ok(Math.abs(t - 2.5) < 0.25, `fitted T=${t}`);
    assert.ok(negLogLikelihood(logits, labels, t) <= negLogLikelihood(logits, labels, 1));
    assert.equal(fitTemperature([], []), 1);
  });

  it('both losses separate linearly separable sparse data, deterministically', () => {
    const xs: SparseVector[] = [];
    const ys: number[] = [];
    for (let i = 0; i < 60; i++) {
      const c = i % 3;
      xs.push({ idx: Int32Array.from([c, 3 + (i % 2)]), val: Float32Array.from([1, 0.5]) });
      ys.push(c);
    }
    for (const loss of ['softmax', 'squared-hinge'] as const) {
      const opts = { loss, lambda: 1e-4, epochs: 10, eta0: loss === 'softmax' ? 1 : 0.1, seed: 5, averageEpochs: 5 };
      const a = trainLinear(xs, Int32Array.from(ys), 5, 3, opts);
      const b = trainLinear(xs, Int32Array.from(ys), 5, 3, opts);
      assert.deepEqual(a.weights, b.weights);
      xs.forEach((x, i) => {
        const z = linearScores(a, x, new Float64Array(3));
        assert.equal(z.indexOf(Math.max(...z)), ys[i], `${loss} example ${i}`);
      });
    }
  });

  it('tf-idf vectors are L2-normalised per block, and unknown terms dilute them', () => {
    // Term keys: even = word block, odd = character block.
    const [wa, wb, cx, cy, wz, cq] = [10, 12, 21, 23, 40, 41];
    const v = fitVectorizer(
      [
        [wa, wb, cx],
        [wa, cy],
      ],
      { minDf: 1, blockWeights: [1, 1] },
    );
    const x = vectorize(v, [wa, wb, cx]);
    const norm = (block: 0 | 1) => Math.hypot(...Array.from(x.idx).flatMap((i, k) => (termBlock(v.keys[i] as number) === block ? [x.val[k] as number] : [])));
    assert.ok(Math.abs(norm(0) - 1) < 1e-6 && Math.abs(norm(1) - 1) < 1e-6);
    const diluted = vectorize(v, [wa, wz]);
    assert.equal(diluted.idx.length, 1);
    assert.ok((diluted.val[0] as number) < 1);
    assert.equal(vectorize(v, [wz, cq]).idx.length, 0);
  });

  it('term keys: blocks apart, word order matters, repeats kept', async () => {
    const pipeline = await getTextPipeline();
    const spec = { wordMin: 1, wordMax: 2, charMin: 2, charMax: 3, skipWindow: 3 };
    const a = extractTerms(pipeline, 'card arrived late', 'en', spec);
    const b = extractTerms(pipeline, 'late arrived card', 'en', spec);
    assert.ok(a.every((k) => Number.isSafeInteger(k) && k >= 0));
    assert.notDeepEqual([...a].sort(), [...b].sort());
    assert.deepEqual(extractTerms(pipeline, 'Card ARRIVED late', 'en', spec), a);
    const words = a.filter((k) => termBlock(k) === 0);
    // 3 unigrams + 2 bigrams + 1 skip pair (card … late)
    assert.equal(words.length, 6);
    const zh = extractTerms(pipeline, '我要退款', 'zh', { ...spec, charMin: 1 });
    assert.equal(zh.filter((k) => termBlock(k) === 1).length, 4 + 3 + 2);
  });

  it('metrics: accuracy, macro-F1, in-scope accuracy and oos recall', () => {
    const m = computeMetrics(['a', 'a', 'b', 'oos', 'oos'], ['a', 'b', 'b', 'None', 'a']);
    assert.equal(m.accuracy, 3 / 5);
    assert.equal(m.inScopeAccuracy, 2 / 3);
    assert.equal(m.oosRecall, 1 / 2);
    const f1 = { a: (2 * 0.5 * 0.5) / 1, b: (2 * 0.5 * 1) / 1.5, oos: (2 * 1 * 0.5) / 1.5 };
    assert.ok(Math.abs(m.macroF1 - (f1.a + f1.b + f1.oos) / 3) < 1e-12);
    assert.deepEqual(m.confusions[0], { gold: 'a', predicted: 'b', count: 1 });
    assert.equal(computeMetrics(['a'], ['a']).oosRecall, undefined);
  });

  it('progress bar: redraws on a TTY, plain 10 % lines otherwise', () => {
    const lines: string[] = [];
    const plain = createProgressBar({ write: (s: string) => lines.push(s) });
    for (let i = 0; i <= 40; i++) plain.update('en', i, 40);
    plain.done();
    assert.deepEqual(lines, ['en: 0%\n', 'en: 10%\n', 'en: 20%\n', 'en: 30%\n', 'en: 40%\n', 'en: 50%\n', 'en: 60%\n', 'en: 70%\n', 'en: 80%\n', 'en: 90%\n', 'en: 100%\n']);
    const tty: string[] = [];
    const bar = createProgressBar({ write: (s: string) => tty.push(s), isTTY: true }, 10);
    bar.update('zh', 5, 10);
    bar.done();
    assert.deepEqual(tty, ['\rzh           [#####.....]  50%', '\n']);
  });
});

/**
 * Trains on one set and classifies another exactly as the bot does (`classifyText`: threshold,
 * learned None class, entities and sentiment included), then scores it. Also k-fold
 * cross-validation on a corpus. Used by `kefu eval` and `npm run bench:nlu`.
 */
import { type Locale, NONE_INTENT } from '../../core';
import { classifyText, DEFAULT_THRESHOLD } from '../classify';
import type { TrainingExample } from '../corpus';
import { type TrainOptions, trainIntentModel } from '../intent-model';
import { createRandom, shuffled } from '../linear-trainer';
import { getTextPipeline } from '../text-pipeline';
import { asEvalLabel, computeMetrics, type Metrics } from './metrics';

export interface EvalReport extends Metrics {
  locale: Locale;
  trainSize: number;
  threshold: number;
  /** Wall-clock seconds spent training (all folds for cross-validation). */
  trainSeconds: number;
  /** CPU seconds of this process spent training (differs from trainSeconds when the CPU is shared). */
  trainCpuSeconds: number;
  /** Classifications per second (full classify: intent, entities, sentiment). */
  utterancesPerSecond: number;
  /** Peak resident memory of this process so far, in MB. */
  peakRssMB: number;
  folds?: number;
}

export interface EvalOptions {
  locale: Locale;
  threshold?: number;
  training?: Omit<TrainOptions, 'onProgress' | 'calibration'>;
  onProgress?: (done: number, total: number) => void;
}

interface Run {
  /** The bot's answer at threshold 0 (None only when the learned None class wins), with its score. */
  predictions: Array<{ intent: string; score: number }>;
  trainMs: number;
  trainCpuMs: number;
  /** Steady-state speed: classifications and the milliseconds they took, after a warm-up pass. */
  timed: number;
  classifyMs: number;
}

async function trainAndPredict(train: readonly TrainingExample[], test: readonly TrainingExample[], opts: EvalOptions, valid?: readonly TrainingExample[]): Promise<Run> {
  const pipeline = await getTextPipeline();
  const started = performance.now();
  const cpu = process.cpuUsage();
  const model = trainIntentModel(pipeline, train, opts.locale, {
    ...opts.training,
    ...(valid ? { calibration: valid } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  });
  const trained = performance.now();
  const used = process.cpuUsage(cpu);
  const now = new Date();
  const predictions: Run['predictions'] = [];
  for (const row of test) {
    const c = await classifyText(model, pipeline, row.text, opts.locale, 0, { now });
    predictions.push({ intent: c.intent, score: c.score });
  }
  // The scored pass above doubles as JIT warm-up; time further passes (at least 2,000
  // classifications and 0.5 s) for a steady-state classifications-per-second figure.
  let timed = 0;
  const timing = performance.now();
  while (timed < 2000 || performance.now() - timing < 500) {
    for (const row of test) await classifyText(model, pipeline, row.text, opts.locale, 0, { now });
    timed += test.length;
  }
  return { predictions, trainMs: trained - started, trainCpuMs: (used.user + used.system) / 1000, timed, classifyMs: performance.now() - timing };
}

/**
 * The bot's rule (classify.ts): None when the best intent is None or scores under the threshold.
 * Applying it to the threshold-0 answer gives exactly what classify() returns at `threshold`.
 */
function atThreshold(p: { intent: string; score: number }, threshold: number): string {
  return p.score < threshold ? NONE_INTENT : p.intent;
}

function report(gold: string[], run: Run, opts: EvalOptions, trainSize: number, folds?: number, threshold = opts.threshold ?? DEFAULT_THRESHOLD): EvalReport {
  return {
    ...computeMetrics(
      gold,
      run.predictions.map((p) => atThreshold(p, threshold)),
    ),
    locale: opts.locale,
    trainSize,
    threshold,
    trainSeconds: round(run.trainMs / 1000, 2),
    trainCpuSeconds: round(run.trainCpuMs / 1000, 2),
    utterancesPerSecond: Math.round(run.timed / Math.max(1e-3, run.classifyMs / 1000)),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    ...(folds ? { folds } : {}),
  };
}

/** Train on `train` (temperature fitted on `valid` when given), score on `test`. */
export async function evaluateSplit(
  train: readonly TrainingExample[],
  test: readonly TrainingExample[],
  opts: EvalOptions,
  valid?: readonly TrainingExample[],
): Promise<EvalReport> {
  const [first] = await evaluateSplitAt(train, test, opts, [opts.threshold ?? DEFAULT_THRESHOLD], valid);
  return first as EvalReport;
}

/** Like evaluateSplit, one training, one report per None threshold (a threshold sweep). */
export async function evaluateSplitAt(
  train: readonly TrainingExample[],
  test: readonly TrainingExample[],
  opts: EvalOptions,
  thresholds: readonly number[],
  valid?: readonly TrainingExample[],
): Promise<EvalReport[]> {
  const run = await trainAndPredict(train, test, opts, valid);
  const gold = test.map((r) => asEvalLabel(r.intent));
  return thresholds.map((t) => report(gold, run, opts, train.length, undefined, t));
}

/** Stratified k-fold cross-validation: every example is predicted once by a model that did not see it. */
export async function crossValidate(examples: readonly TrainingExample[], k: number, opts: EvalOptions): Promise<EvalReport> {
  const folds = stratifiedFolds(examples, k, 1);
  const gold: string[] = [];
  const total: Run = { predictions: [], trainMs: 0, trainCpuMs: 0, timed: 0, classifyMs: 0 };
  for (let f = 0; f < k; f++) {
    const train = examples.filter((_, i) => folds[i] !== f);
    const test = examples.filter((_, i) => folds[i] === f);
    if (test.length === 0) continue;
    const run = await trainAndPredict(train, test, { ...opts, onProgress: (done, n) => opts.onProgress?.(f * n + done, k * n) });
    gold.push(...test.map((r) => asEvalLabel(r.intent)));
    total.predictions.push(...run.predictions);
    total.trainMs += run.trainMs;
    total.trainCpuMs += run.trainCpuMs;
    total.classifyMs += run.classifyMs;
    total.timed += run.timed;
  }
  return report(gold, total, opts, examples.length, k);
}

/** Fold id per example, dealing each intent's examples round-robin after a seeded shuffle. */
export function stratifiedFolds(examples: readonly TrainingExample[], k: number, seed: number): Int32Array {
  const order = shuffled(examples.length, createRandom(seed));
  // Each intent starts at a different fold, so small intents do not all pile into fold 0.
  const seen = new Map<string, { n: number; offset: number }>();
  const folds = new Int32Array(examples.length);
  for (const i of order) {
    const intent = (examples[i] as TrainingExample).intent;
    const s = seen.get(intent) ?? { n: 0, offset: seen.size };
    folds[i] = (s.n + s.offset) % k;
    seen.set(intent, { n: s.n + 1, offset: s.offset });
  }
  return folds;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/**
 * The intent model: TF-IDF features (features.ts, vectorizer.ts), a multinomial logistic
 * classifier (linear-trainer.ts) and a temperature fitted on out-of-fold predictions
 * (calibration.ts). `trainIntentModel` builds one; `predictIntent` gives calibrated
 * probabilities, best first.
 */
import { type Locale, NONE_INTENT } from '../core';
import { fitTemperature } from './calibration';
import type { TrainingExample } from './corpus';
import { DEFAULT_FEATURES, extractTerms, type FeatureSpec } from './features';
import { createRandom, DEFAULT_LINEAR, type LinearModel, type LinearOptions, linearScores, shuffled, softmaxInPlace, trainLinear } from './linear-trainer';
import type { TextPipeline } from './text-pipeline';
import { fitVectorizer, type Vectorizer, vectorize } from './vectorizer';

/** Bump when features, training or the saved format change: cached models then retrain. */
export const CLASSIFIER_VERSION = 'kefu-nlu-4';

/** Training labels that mean "out of scope"; they become the None class. */
export const OUT_OF_SCOPE_LABELS: ReadonlySet<string> = new Set(['oos', NONE_INTENT]);

export interface IntentModel {
  version: string;
  locale: Locale;
  spec: FeatureSpec;
  vectorizer: Vectorizer;
  classes: string[];
  linear: LinearModel;
  temperature: number;
}

export interface TrainOptions {
  features?: Partial<FeatureSpec>;
  linear?: Partial<LinearOptions>;
  blockWeights?: [number, number];
  /** Drop terms seen in fewer training utterances than this (default 1: keep all). */
  minDf?: number;
  /**
   * Labelled examples to fit the temperature on (a validation split). Without them the
   * temperature is fitted on out-of-fold predictions of the training data, which costs extra
   * training rounds.
   */
  calibration?: readonly TrainingExample[];
  /** Called after each training epoch (calibration folds included). */
  onProgress?: (done: number, total: number) => void;
}

interface FitSettings {
  linear: LinearOptions;
  minDf: number;
  blockWeights: [number, number];
  onEpoch: () => void;
}

/** TF-IDF + linear model on some of the documents. */
function fitModel(docs: readonly number[][], ys: Int32Array, numClasses: number, s: FitSettings): { vectorizer: Vectorizer; linear: LinearModel } {
  const vectorizer = fitVectorizer(docs, { minDf: s.minDf, blockWeights: s.blockWeights });
  const xs = docs.map((d) => vectorize(vectorizer, d));
  return { vectorizer, linear: trainLinear(xs, ys, vectorizer.idf.length, numClasses, { ...s.linear, onEpoch: s.onEpoch }) };
}

/** Scores of each held-out example from a model trained on the other folds (fold < rounds). */
function outOfFoldScores(docs: readonly number[][], ys: Int32Array, numClasses: number, folds: Int32Array, rounds: number, s: FitSettings) {
  const logits: Float64Array[] = [];
  const labels: number[] = [];
  for (let f = 0; f < rounds; f++) {
    const trainIdx: number[] = [];
    const testIdx: number[] = [];
    for (let i = 0; i < folds.length; i++) (folds[i] === f ? testIdx : trainIdx).push(i);
    const m = fitModel(
      trainIdx.map((i) => docs[i] as number[]),
      Int32Array.from(trainIdx, (i) => ys[i] as number),
      numClasses,
      s,
    );
    for (const i of testIdx) {
      logits.push(linearScores(m.linear, vectorize(m.vectorizer, docs[i] as number[]), new Float64Array(numClasses)));
      labels.push(ys[i] as number);
    }
  }
  return { logits, labels };
}

export function trainIntentModel(pipeline: TextPipeline, examples: readonly TrainingExample[], locale: Locale, opts: TrainOptions = {}): IntentModel {
  const spec = { ...DEFAULT_FEATURES[locale], ...opts.features };
  const linear = { ...DEFAULT_LINEAR[opts.linear?.loss ?? 'squared-hinge'], ...opts.linear };
  const docs = examples.map((e) => extractTerms(pipeline, e.text, locale, spec));
  const classes = [...new Set(examples.map((e) => labelOf(e.intent)))].sort();
  const ys = Int32Array.from(examples, (e) => classes.indexOf(labelOf(e.intent)));
  const { folds, rounds } = calibrationFolds(ys, classes.length, linear.seed);
  const heldOutRounds = opts.calibration ? 0 : rounds;
  const total = linear.epochs * (heldOutRounds + 1);
  let done = 0;
  const settings: FitSettings = { linear, minDf: opts.minDf ?? 1, blockWeights: opts.blockWeights ?? [1, 1], onEpoch: () => opts.onProgress?.(++done, total) };

  const held = outOfFoldScores(docs, ys, classes.length, folds, heldOutRounds, settings);
  const final = fitModel(docs, ys, classes.length, settings);
  for (const e of opts.calibration ?? []) {
    const k = classes.indexOf(labelOf(e.intent));
    if (k < 0) continue;
    held.logits.push(linearScores(final.linear, vectorize(final.vectorizer, extractTerms(pipeline, e.text, locale, spec)), new Float64Array(classes.length)));
    held.labels.push(k);
  }
  const temperature = fitTemperature(held.logits, held.labels);
  return { version: CLASSIFIER_VERSION, locale, spec, vectorizer: final.vectorizer, classes, linear: final.linear, temperature };
}

function labelOf(intent: string): string {
  return OUT_OF_SCOPE_LABELS.has(intent) ? NONE_INTENT : intent;
}

/**
 * Fold ids for calibration, stratified by class. Small corpora: 3 folds, each held out in turn
 * (`rounds` = 3). Large corpora: only fold 0, a 20 % hold-out, to bound training time
 * (`rounds` = 1). Tiny corpora hold nothing out (`rounds` = 0, temperature 1).
 */
function calibrationFolds(ys: Int32Array, numClasses: number, seed: number): { folds: Int32Array; rounds: number } {
  if (ys.length < 12) return { folds: new Int32Array(ys.length), rounds: 0 };
  const k = ys.length <= 3000 ? 3 : 5;
  const order = shuffled(ys.length, createRandom(seed + 17));
  const seen = new Int32Array(numClasses);
  const folds = new Int32Array(ys.length);
  for (const i of order) {
    const c = ys[i] as number;
    folds[i] = ((seen[c] as number) + c) % k;
    seen[c] = (seen[c] as number) + 1;
  }
  return { folds, rounds: k === 3 ? 3 : 1 };
}

/** Calibrated probabilities of every class for one text (same order as `model.classes`). */
export function predictIntent(model: IntentModel, pipeline: TextPipeline, text: string): Float64Array {
  const x = vectorize(model.vectorizer, extractTerms(pipeline, text, model.locale, model.spec));
  const z = linearScores(model.linear, x, new Float64Array(model.classes.length));
  for (let k = 0; k < z.length; k++) z[k] = (z[k] as number) / model.temperature;
  softmaxInPlace(z);
  return z;
}

/**
 * Linear classifiers on sparse TF-IDF vectors, trained by SGD with L2 decay kept as a global scale
 * (Bottou's trick), so one step costs O(nonzeros × classes) however large the vocabulary:
 * - 'squared-hinge': one-vs-rest L2-SVMs (scikit-learn's LinearSVC loss), the default. Only
 *   classes whose margin is violated get an update, so it trains fast, and it is the more accurate
 *   on the benchmarks;
 * - 'softmax': multinomial logistic regression.
 * Either way the scores are turned into probabilities by a fitted temperature (calibration.ts).
 * Weights are feature-major (`W[f * K + k]`): scoring adds one K-row per nonzero.
 */
import type { SparseVector } from './vectorizer';

export interface LinearModel {
  dim: number;
  numClasses: number;
  /** dim × numClasses, feature-major. */
  weights: Float32Array;
  bias: Float32Array;
}

export type Loss = 'squared-hinge' | 'softmax';

export interface LinearOptions {
  loss: Loss;
  /** L2 strength per example (the λ of λ/2·‖W‖²). */
  lambda: number;
  epochs: number;
  /** Initial step size. */
  eta0: number;
  seed: number;
  /**
   * Average the weights of the last `averageEpochs` epochs (tail averaging): SGD at a near-constant
   * step ends noisy, and the average generalises better. 0 keeps the last iterate.
   */
  averageEpochs: number;
  /** Called after every epoch (progress bars). */
  onEpoch?: () => void;
}

export const DEFAULT_LINEAR: Record<Loss, LinearOptions> = {
  'squared-hinge': { loss: 'squared-hinge', lambda: 1e-5, epochs: 12, eta0: 0.1, seed: 1, averageEpochs: 6 },
  softmax: { loss: 'softmax', lambda: 3e-5, epochs: 12, eta0: 1, seed: 1, averageEpochs: 6 },
};

/** A small deterministic PRNG (mulberry32), so training the same corpus gives the same model. */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffled(n: number, random: () => number): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = order[i] as number;
    order[i] = order[j] as number;
    order[j] = tmp;
  }
  return order;
}

/** Writes softmax(z) into z in place and returns nothing; stable for large logits. */
export function softmaxInPlace(z: Float64Array): void {
  let max = -Infinity;
  for (let k = 0; k < z.length; k++) if ((z[k] as number) > max) max = z[k] as number;
  let sum = 0;
  for (let k = 0; k < z.length; k++) {
    const e = Math.exp((z[k] as number) - max);
    z[k] = e;
    sum += e;
  }
  for (let k = 0; k < z.length; k++) z[k] = (z[k] as number) / sum;
}

/** Writes the loss gradient with respect to the scores into `z` (which holds the scores). */
function lossGradient(loss: Loss, z: Float64Array, y: number): void {
  if (loss === 'softmax') {
    softmaxInPlace(z);
    z[y] = (z[y] as number) - 1;
    return;
  }
  for (let k = 0; k < z.length; k++) {
    const sign = k === y ? 1 : -1;
    const margin = 1 - sign * (z[k] as number);
    z[k] = margin > 0 ? -2 * sign * margin : 0;
  }
}

export function trainLinear(xs: readonly SparseVector[], ys: Int32Array, dim: number, numClasses: number, opts: LinearOptions): LinearModel {
  const K = numClasses;
  const v = new Float32Array(dim * K);
  const bias = new Float64Array(K);
  const z = new Float64Array(K);
  const activeClass = new Int32Array(K);
  const activeStep = new Float64Array(K);
  const random = createRandom(opts.seed);
  const averaged = Math.max(0, Math.min(opts.averageEpochs, opts.epochs));
  const sumW = new Float32Array(dim * K);
  const sumB = new Float64Array(K);
  let scale = 1;
  let t = 0;
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    const order = shuffled(xs.length, random);
    for (let o = 0; o < order.length; o++) {
      const i = order[o] as number;
      const { idx, val } = xs[i] as SparseVector;
      const eta = opts.eta0 / (1 + opts.eta0 * opts.lambda * t);
      t++;
      z.set(bias);
      for (let j = 0; j < idx.length; j++) {
        const base = (idx[j] as number) * K;
        const xv = (val[j] as number) * scale;
        for (let k = 0; k < K; k++) z[k] = (z[k] as number) + xv * (v[base + k] as number);
      }
      lossGradient(opts.loss, z, ys[i] as number);
      scale *= 1 - eta * opts.lambda;
      const step = eta / scale;
      // Only classes with a non-negligible gradient are updated (most probabilities are ~0).
      let active = 0;
      for (let k = 0; k < K; k++) {
        const g = z[k] as number;
        if (g > -1e-5 && g < 1e-5) continue;
        bias[k] = (bias[k] as number) - eta * g;
        activeClass[active] = k;
        activeStep[active++] = step * g;
      }
      for (let j = 0; j < idx.length; j++) {
        const base = (idx[j] as number) * K;
        const xv = val[j] as number;
        for (let a = 0; a < active; a++) {
          const p = base + (activeClass[a] as number);
          v[p] = (v[p] as number) - (activeStep[a] as number) * xv;
        }
      }
      if (scale < 1e-6) {
        for (let p = 0; p < v.length; p++) v[p] = (v[p] as number) * scale;
        scale = 1;
      }
    }
    if (epoch >= opts.epochs - averaged) {
      for (let p = 0; p < v.length; p++) sumW[p] = (sumW[p] as number) + (v[p] as number) * scale;
      for (let k = 0; k < K; k++) sumB[k] = (sumB[k] as number) + (bias[k] as number);
    }
    opts.onEpoch?.();
  }
  if (averaged === 0) {
    for (let p = 0; p < v.length; p++) sumW[p] = (v[p] as number) * scale;
    sumB.set(bias);
  } else {
    for (let p = 0; p < sumW.length; p++) sumW[p] = (sumW[p] as number) / averaged;
    for (let k = 0; k < K; k++) sumB[k] = (sumB[k] as number) / averaged;
  }
  return { dim, numClasses: K, weights: sumW, bias: Float32Array.from(sumB) };
}

/** Raw class scores W·x + b for one vector. */
export function linearScores(model: LinearModel, x: SparseVector, out: Float64Array): Float64Array {
  const K = model.numClasses;
  for (let k = 0; k < K; k++) out[k] = model.bias[k] as number;
  for (let j = 0; j < x.idx.length; j++) {
    const base = (x.idx[j] as number) * K;
    const xv = x.val[j] as number;
    for (let k = 0; k < K; k++) out[k] = (out[k] as number) + xv * (model.weights[base + k] as number);
  }
  return out;
}

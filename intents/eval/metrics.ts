/**
 * Scores predictions against gold labels. Out-of-scope gold labels (`oos`, `None`) and None
 * predictions both count as the label `oos`. Macro-F1 averages over every label seen in gold or
 * predictions (scikit-learn's default).
 */
import { NONE_INTENT } from '../../core';

export const OOS_LABEL = 'oos';

export interface IntentScore {
  intent: string;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface Metrics {
  total: number;
  accuracy: number;
  macroF1: number;
  /** Accuracy over in-scope gold rows (an oos prediction there is wrong). */
  inScopeAccuracy: number;
  /** Share of out-of-scope gold rows predicted oos; undefined when there are none. */
  oosRecall?: number;
  perIntent: IntentScore[];
  /** The most frequent (gold → predicted) mistakes, most frequent first. */
  confusions: Array<{ gold: string; predicted: string; count: number }>;
  labels: string[];
  /** matrix[gold][predicted] counts, indices into `labels`. */
  matrix: number[][];
}

export function asEvalLabel(label: string): string {
  return label === NONE_INTENT || label === OOS_LABEL ? OOS_LABEL : label;
}

export function computeMetrics(goldRaw: readonly string[], predRaw: readonly string[], topConfusions = 10): Metrics {
  const gold = goldRaw.map(asEvalLabel);
  const pred = predRaw.map(asEvalLabel);
  const labels = [...new Set([...gold, ...pred])].sort();
  const at = new Map(labels.map((l, i) => [l, i]));
  const matrix = labels.map(() => labels.map(() => 0));
  let correct = 0;
  let inScope = 0;
  let inScopeCorrect = 0;
  let oos = 0;
  let oosCaught = 0;
  gold.forEach((g, i) => {
    const p = pred[i] as string;
    const row = matrix[at.get(g) as number] as number[];
    const col = at.get(p) as number;
    row[col] = (row[col] as number) + 1;
    if (g === p) correct++;
    if (g === OOS_LABEL) {
      oos++;
      if (p === OOS_LABEL) oosCaught++;
    } else {
      inScope++;
      if (g === p) inScopeCorrect++;
    }
  });
  const perIntent = labels.map((intent, k) => {
    const tp = (matrix[k] as number[])[k] as number;
    const support = (matrix[k] as number[]).reduce((a, b) => a + b, 0);
    const predicted = matrix.reduce((a, row) => a + (row[k] as number), 0);
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { intent, precision, recall, f1, support };
  });
  const confusions: Metrics['confusions'] = [];
  labels.forEach((g, i) => {
    labels.forEach((p, j) => {
      const count = (matrix[i] as number[])[j] as number;
      if (i !== j && count > 0) confusions.push({ gold: g, predicted: p, count });
    });
  });
  confusions.sort((a, b) => b.count - a.count || a.gold.localeCompare(b.gold));
  const metrics: Metrics = {
    total: gold.length,
    accuracy: gold.length ? correct / gold.length : 0,
    macroF1: perIntent.length ? perIntent.reduce((a, s) => a + s.f1, 0) / perIntent.length : 0,
    inScopeAccuracy: inScope ? inScopeCorrect / inScope : 0,
    perIntent,
    confusions: confusions.slice(0, topConfusions),
    labels,
    matrix,
  };
  if (oos > 0) metrics.oosRecall = oosCaught / oos;
  return metrics;
}

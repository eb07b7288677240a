/**
 * The NLU benchmark datasets (read at run time from ../shared/nlu-bench or NLU_BENCH_DIR; never
 * copied into the repo) and how each is split. Scores are on the valid split; test splits are
 * held back. BANKING77 has no official valid split: a stratified 10 % of train (seed 77) is held
 * out as valid and the model trains on the other 90 %.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Locale } from '../core';
import type { TrainingExample } from '../intents';
import { readJsonl } from '../intents/eval/dataset';
import { stratifiedFolds } from '../intents/eval/evaluate';

export interface BenchDataset {
  name: string;
  locale: Locale;
  /** The figure the issue targets ("at least" / "aim"). */
  headline: 'accuracy' | 'inScope+oos' | 'macroF1';
  targets: string;
  /**
   * None thresholds to score at; one training, one row each. Closed-set datasets: 0 (argmax, as
   * published). CLINC150: 0.2, the operating point picked on its valid split (best in-scope
   * accuracy with oos recall ≥ 60), and 0.5, the bot's default NLU_THRESHOLD.
   */
  thresholds: number[];
}

export const DATASETS: BenchDataset[] = [
  { name: 'banking77', locale: 'en', headline: 'accuracy', targets: 'accuracy ≥ 91.5 (aim 93.7)', thresholds: [0] },
  { name: 'clinc150', locale: 'en', headline: 'inScope+oos', targets: 'in-scope ≥ 93 / oos recall ≥ 50 (aim 95 / 60)', thresholds: [0.2, 0.5] },
  { name: 'hwu64', locale: 'en', headline: 'accuracy', targets: 'accuracy ≥ 88 (aim 91)', thresholds: [0] },
  { name: 'smp2019', locale: 'zh', headline: 'accuracy', targets: 'accuracy ≥ 90 (aim 93)', thresholds: [0] },
  { name: 'cais', locale: 'zh', headline: 'macroF1', targets: 'macro-F1 ≥ 56 (aim 60)', thresholds: [0] },
];

export function benchDir(): string {
  return process.env.NLU_BENCH_DIR ?? resolve(__dirname, '..', '..', 'shared', 'nlu-bench');
}

export function datasetPresent(dir: string, name: string): boolean {
  return existsSync(join(dir, name, 'train.jsonl'));
}

export function loadSplits(dir: string, name: string): { train: TrainingExample[]; valid: TrainingExample[]; note: string } {
  const all = readJsonl(join(dir, name, 'train.jsonl'));
  const validFile = join(dir, name, 'valid.jsonl');
  if (existsSync(validFile)) return { train: all, valid: readJsonl(validFile), note: 'official train / valid' };
  const folds = stratifiedFolds(all, 10, 77);
  return {
    train: all.filter((_, i) => folds[i] !== 0),
    valid: all.filter((_, i) => folds[i] === 0),
    note: 'no valid split: stratified 10 % of train held out (seed 77)',
  };
}

/**
 * Per-variant analytics of an experiment from its counters: conversations, automation, escalation
 * and resolution rates with Wilson intervals, turns to resolution and CSAT with normal intervals,
 * and each variant against the first (the control): two-proportion z-tests for the rates,
 * Mann–Whitney U for CSAT. Below the minimum sample the verdict is "not enough data yet".
 */
import type { Experiment } from './schema';
import { type Interval, mannWhitneyU, meanInterval, rateDifferenceInterval, type TestResult, twoProportionZTest, wilsonInterval } from './stats';

/** A rate with its 95 % interval. */
export interface Rate extends Interval {
  count: number;
  rate: number;
}

export interface VariantFigures {
  id: string;
  weight: number;
  conversations: number;
  botTurns: number;
  escalation: Rate;
  /** Conversations with no handoff: 1 − escalation. */
  automation: Rate;
  resolution: Rate;
  /** Customer turns from entering the experiment to the resolving answer (resolved conversations). */
  turnsToResolution: { n: number; mean: number } & Interval;
  csat: { n: number; mean: number; histogram: Record<string, number> } & Interval;
}

export interface RateComparison extends TestResult {
  /** This variant's rate minus the control's, with its 95 % interval. */
  difference: number;
  interval: Interval;
  significant: boolean;
}

export interface VariantComparison {
  variant: string;
  against: string;
  escalation: RateComparison;
  automation: RateComparison;
  resolution: RateComparison;
  /** Mann–Whitney U; undefined below CSAT_MIN_ANSWERS answers in either variant. */
  csat?: TestResult & { u: number; significant: boolean };
}

export interface ExperimentReport {
  minSample: number;
  /** False while a variant has fewer conversations than `minSample`: comparisons are not shown. */
  enoughData: boolean;
  variants: VariantFigures[];
  comparisons: VariantComparison[];
}

/** The significance level of every test. */
export const ALPHA = 0.05;
/** CSAT answers per variant below which the CSAT test is not shown. */
export const CSAT_MIN_ANSWERS = 20;
const CSAT_SCORES = [1, 2, 3, 4, 5] as const;

export type VariantCounters = Readonly<Record<string, number>>;

function rate(count: number, n: number): Rate {
  return { count, rate: n > 0 ? count / n : 0, ...wilsonInterval(count, n) };
}

export function variantFigures(id: string, weight: number, c: VariantCounters): VariantFigures {
  const n = c.conversations ?? 0;
  const escalated = Math.min(n, c.escalated ?? 0);
  const resolved = c.resolved ?? 0;
  const histogram = Object.fromEntries(CSAT_SCORES.map((s) => [String(s), c[`csat:${s}`] ?? 0]));
  const answers = CSAT_SCORES.reduce((sum, s) => sum + (c[`csat:${s}`] ?? 0), 0);
  const csatSum = CSAT_SCORES.reduce((sum, s) => sum + s * (c[`csat:${s}`] ?? 0), 0);
  const csatSquares = CSAT_SCORES.reduce((sum, s) => sum + s * s * (c[`csat:${s}`] ?? 0), 0);
  return {
    id,
    weight,
    conversations: n,
    botTurns: c.botTurns ?? 0,
    escalation: rate(escalated, n),
    automation: rate(n - escalated, n),
    resolution: rate(Math.min(n, resolved), n),
    turnsToResolution: { n: resolved, ...meanInterval(resolved, c.resolutionTurns ?? 0, c.resolutionTurnsSquared ?? 0) },
    csat: { n: answers, histogram, ...meanInterval(answers, csatSum, csatSquares) },
  };
}

function compareRates(a: Rate, na: number, control: Rate, nc: number): RateComparison {
  const test = twoProportionZTest(a.count, na, control.count, nc);
  return { ...test, difference: a.rate - control.rate, interval: rateDifferenceInterval(a.count, na, control.count, nc), significant: test.p < ALPHA };
}

function histogramMap(f: VariantFigures): Map<number, number> {
  return new Map(Object.entries(f.csat.histogram).map(([score, n]) => [Number(score), n]));
}

export function compareVariants(v: VariantFigures, control: VariantFigures): VariantComparison {
  const out: VariantComparison = {
    variant: v.id,
    against: control.id,
    escalation: compareRates(v.escalation, v.conversations, control.escalation, control.conversations),
    automation: compareRates(v.automation, v.conversations, control.automation, control.conversations),
    resolution: compareRates(v.resolution, v.conversations, control.resolution, control.conversations),
  };
  if (v.csat.n >= CSAT_MIN_ANSWERS && control.csat.n >= CSAT_MIN_ANSWERS) {
    const mw = mannWhitneyU(histogramMap(v), histogramMap(control));
    out.csat = { ...mw, significant: mw.p < ALPHA };
  }
  return out;
}

/** The report of an experiment from each variant's counters (missing variants count zero). */
export function experimentReport(experiment: Experiment, counters: ReadonlyMap<string, VariantCounters>): ExperimentReport {
  const variants = experiment.variants.map((v) => variantFigures(v.id, v.weight, counters.get(v.id) ?? {}));
  const enoughData = variants.every((v) => v.conversations >= experiment.minSample);
  const [control, ...others] = variants;
  const comparisons = enoughData && control ? others.map((v) => compareVariants(v, control)) : [];
  return { minSample: experiment.minSample, enoughData, variants, comparisons };
}

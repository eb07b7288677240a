/**
 * A simulated experiment with a known effect: conversations are assigned by the real hash, escalate
 * with their variant's true rate (seeded PRNG), are counted as the plugin counts them, and the
 * report's z-test decides. Escalation 20 % vs 12 % with 300 conversations per arm should be found
 * about as often as the analytic power says; an A/A run (20 % vs 20 %) should be "significant"
 * about 5 % of the time (α).
 */
import assert from 'node:assert/strict';
import { pickVariant } from '../../plugins/experiments/assign';
import { experimentReport, type VariantCounters } from '../../plugins/experiments/report';
import { parseExperiment } from '../../plugins/experiments/schema';
import { twoProportionPower } from '../../plugins/experiments/stats';

/** mulberry32: a small seeded PRNG, so the figures are the same on every run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const RUNS = 400;
const PER_ARM = 300;

/** Share of runs in which the report calls the escalation difference significant. */
function detectionRate(rates: Readonly<Record<'control' | 'treatment', number>>, seed: number): number {
  const random = mulberry32(seed);
  let detected = 0;
  for (let run = 0; run < RUNS; run++) {
    const experiment = parseExperiment({ id: `sim-${seed}-${run}`, variants: [{ id: 'control' }, { id: 'treatment' }], minSample: 100 });
    const counts = new Map<string, { conversations: number; escalated: number }>(experiment.variants.map((v) => [v.id, { conversations: 0, escalated: 0 }]));
    for (let i = 0; i < 2 * PER_ARM; i++) {
      const variant = pickVariant(experiment.id, `conversation:web:sim-${i}`, experiment.variants).id as 'control' | 'treatment';
      const c = counts.get(variant) as { conversations: number; escalated: number };
      c.conversations += 1;
      if (random() < rates[variant]) c.escalated += 1;
    }
    const report = experimentReport(experiment, counts as Map<string, VariantCounters>);
    if (report.comparisons[0]?.escalation.significant) detected++;
  }
  return detected / RUNS;
}

describe('experiments: a simulated experiment (known effect size)', () => {
  it(`detects 20 % vs 12 % escalation at about the analytic power (${RUNS} runs of ${PER_ARM} conversations per arm)`, () => {
    const power = twoProportionPower(0.2, 0.12, PER_ARM);
    const observed = detectionRate({ control: 0.2, treatment: 0.12 }, 12);
    console.log(`      analytic power ${power.toFixed(3)}; detected in ${(observed * 100).toFixed(1)} % of ${RUNS} simulated experiments`);
    assert.ok(Math.abs(observed - power) < 0.07, `observed ${observed} vs analytic ${power}`); // ±3.3 standard errors of a 400-run estimate
  });

  it('keeps false positives near α = 5 % in an A/A run (20 % vs 20 %)', () => {
    const falsePositives = detectionRate({ control: 0.2, treatment: 0.2 }, 7);
    console.log(`      A/A: "significant" in ${(falsePositives * 100).toFixed(1)} % of ${RUNS} simulated experiments (α = 5 %)`);
    assert.ok(falsePositives >= 0.015 && falsePositives <= 0.09, `false positive rate ${falsePositives}`);
  });

  it('says "not enough data yet" below the minimum sample, and compares nothing', () => {
    const experiment = parseExperiment({ id: 'small', variants: [{ id: 'a' }, { id: 'b' }], minSample: 100 });
    const report = experimentReport(
      experiment,
      new Map([
        ['a', { conversations: 99, escalated: 40 }],
        ['b', { conversations: 500, escalated: 10 }],
      ]),
    );
    assert.equal(report.enoughData, false);
    assert.deepEqual(report.comparisons, []);
    assert.equal(report.variants[0]?.escalation.rate, 40 / 99);
  });
});

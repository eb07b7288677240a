/** The A/B statistics against known values (scipy 1.17: norm.cdf, binomtest(...).proportion_ci('wilson'), mannwhitneyu(asymptotic)). */
import assert from 'node:assert/strict';
import { histogramOf, mannWhitneyU, meanInterval, normalCdf, twoProportionPower, twoProportionZTest, wilsonInterval } from '../../plugins/experiments/stats';

const close = (actual: number, expected: number, tol = 1e-6) => assert.ok(Math.abs(actual - expected) <= tol, `${actual} is not ${expected} ± ${tol}`);

describe('experiments: statistics', () => {
  it('the normal distribution function matches scipy', () => {
    close(normalCdf(1), 0.8413447460685429);
    close(normalCdf(-2.5), 0.006209665325776132);
    close(normalCdf(0), 0.5);
    close(normalCdf(1.959963984540054), 0.975);
  });

  it('Wilson interval of 40/200 matches scipy; n = 0 says nothing', () => {
    const ci = wilsonInterval(40, 200);
    close(ci.low, 0.15045200926098115);
    close(ci.high, 0.26085518656537876);
    assert.deepEqual(wilsonInterval(0, 0), { low: 0, high: 1 });
  });

  it('two-proportion z-test of 40/200 vs 24/200 matches the textbook value', () => {
    const t = twoProportionZTest(40, 200, 24, 200);
    close(t.z, 2.1821789023599245);
    close(t.p, 0.029096331741252156);
    assert.deepEqual(twoProportionZTest(0, 10, 0, 10), { z: 0, p: 1 });
  });

  it('Mann–Whitney U with ties matches scipy (U1 = 78, p = 0.10475)', () => {
    const x = [5, 4, 4, 3, 5, 5, 2, 4, 5, 1];
    const y = [3, 3, 4, 2, 1, 4, 2, 3, 5, 2, 3];
    const r = mannWhitneyU(histogramOf(x), histogramOf(y));
    assert.equal(r.u, 78);
    close(r.p, 0.10475211802934754);
    assert.equal(mannWhitneyU(histogramOf(y), histogramOf(x)).u, x.length * y.length - 78);
    assert.equal(mannWhitneyU(histogramOf([3, 3]), histogramOf([3, 3])).p, 1, 'all tied: no evidence');
  });

  it('mean interval from counter sums', () => {
    const values = [2, 4, 4, 4, 5, 5, 7, 9];
    const m = meanInterval(
      values.length,
      values.reduce((a, b) => a + b, 0),
      values.reduce((a, b) => a + b * b, 0),
    );
    close(m.mean, 5);
    // sample sd = sqrt(32/7); half-width = 1.96 · sd / sqrt(8)
    close(m.high - m.mean, 1.959963984540054 * Math.sqrt(32 / 7 / 8));
  });

  it('analytic power of 20 % vs 12 % at n = 300 per arm is about 0.763', () => {
    close(twoProportionPower(0.2, 0.12, 300), 0.7632925146019729, 1e-6);
  });
});

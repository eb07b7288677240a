/**
 * Temperature scaling (Guo et al. 2017): one scalar T such that softmax(z / T) minimises the
 * negative log-likelihood of held-out examples. It keeps the ranking and makes the max
 * probability mean what it says, which the None threshold and the bench's oos recall rely on.
 */
export function negLogLikelihood(logits: readonly Float64Array[], labels: readonly number[], temperature: number): number {
  let total = 0;
  for (let i = 0; i < logits.length; i++) {
    const z = logits[i] as Float64Array;
    let max = -Infinity;
    for (let k = 0; k < z.length; k++) max = Math.max(max, (z[k] as number) / temperature);
    let sum = 0;
    for (let k = 0; k < z.length; k++) sum += Math.exp((z[k] as number) / temperature - max);
    total += Math.log(sum) + max - (z[labels[i] as number] as number) / temperature;
  }
  return total / Math.max(1, logits.length);
}

/** Golden-section search of log T in [1/20, 20]; T = 1 when there is nothing to fit on. */
export function fitTemperature(logits: readonly Float64Array[], labels: readonly number[]): number {
  if (logits.length === 0) return 1;
  const f = (logT: number) => negLogLikelihood(logits, labels, Math.exp(logT));
  const phi = (Math.sqrt(5) - 1) / 2;
  let lo = Math.log(1 / 20);
  let hi = Math.log(20);
  let a = hi - phi * (hi - lo);
  let b = lo + phi * (hi - lo);
  let fa = f(a);
  let fb = f(b);
  for (let iter = 0; iter < 40; iter++) {
    if (fa < fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - phi * (hi - lo);
      fa = f(a);
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + phi * (hi - lo);
      fb = f(b);
    }
  }
  return Math.exp((lo + hi) / 2);
}

/**
 * Failures counted per key (a console account, a client address) and forgotten some time after the
 * last one: what login throttling needs. In this process (bounded, least recently used dropped
 * first) or, in multi-instance mode, in Redis so every instance sees the same counts.
 */
import { touchBounded } from './rate-limit';

export interface Failures {
  count: number;
  /** When the last failure happened (epoch ms). */
  last: number;
}

export interface FailureCounts {
  get(key: string): Promise<Failures | undefined>;
  /** One more failure at `at` (epoch ms); resolves to the count with it. */
  bump(key: string, at: number): Promise<Failures>;
  clear(key: string): Promise<void>;
}

const MAX_KEYS = 50_000;

export function createLocalFailureCounts(forgetMs: number, now: () => number = Date.now): FailureCounts {
  const map = new Map<string, Failures>();
  const current = (key: string): Failures | undefined => {
    const f = map.get(key);
    if (f && now() - f.last > forgetMs) map.delete(key);
    return map.get(key);
  };
  return {
    get: async (key) => current(key),
    async bump(key, at) {
      const f = current(key) ?? { count: 0, last: 0 };
      f.count += 1;
      f.last = at;
      touchBounded(map, key, f, MAX_KEYS);
      return { ...f };
    },
    async clear(key) {
      map.delete(key);
    },
  };
}

/**
 * Per-key rate limits (a client address, a conversation): a token bucket per key holding up to
 * `perMinute` messages and refilled at that rate, so a burst is allowed and a steady flood is not.
 * Buckets live in this process (multi-instance limits belong in Redis: issue 9) and are bounded:
 * the least recently used ones are dropped first.
 */

export interface RateLimiter {
  /** Takes one message for `key`: 0 when allowed, else how long to wait (ms) before the next one is. */
  take(key: string): number;
}

const MAX_KEYS = 100_000;

export function createRateLimiter(perMinute: number, now: () => number = Date.now): RateLimiter {
  if (perMinute <= 0) return { take: () => 0 };
  const refillPerMs = perMinute / 60_000;
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(key) {
      const t = now();
      const bucket = buckets.get(key) ?? { tokens: perMinute, at: t };
      buckets.delete(key); // re-inserted last: the Map's order is least recently used first
      bucket.tokens = Math.min(perMinute, bucket.tokens + (t - bucket.at) * refillPerMs);
      bucket.at = t;
      buckets.set(key, bucket);
      if (buckets.size > MAX_KEYS) buckets.delete(buckets.keys().next().value as string);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.ceil((1 - bucket.tokens) / refillPerMs);
    },
  };
}

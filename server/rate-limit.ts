/**
 * Per-key rate limits (a client address, a conversation): a token bucket per key holding up to
 * `perWindow` messages (a minute's worth by default) and refilled at that rate, so a burst is allowed and a steady flood is not.
 * These buckets live in this process and are bounded (the least recently used ones are dropped
 * first); in multi-instance mode the cluster's limiter keeps them in Redis (server/cluster/redis.ts).
 */
import type { FastifyReply } from 'fastify';

export interface RateLimiter {
  /** Takes one message for `key`: 0 when allowed, else how long to wait (ms) before the next one is (async when shared through Redis). */
  take(key: string): number | Promise<number>;
}

const MAX_KEYS = 100_000;

/** Answers 429 KEFU_ERR_RATE_LIMITED with Retry-After (whole seconds, at least 1); `say` words the message. */
export function sendRateLimited(reply: FastifyReply, waitMs: number, say: (seconds: number) => string) {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return reply
    .code(429)
    .header('retry-after', String(seconds))
    .send({ error: { code: 'KEFU_ERR_RATE_LIMITED', message: say(seconds) } });
}

/**
 * Marks `key` as just used in a Map kept in least-recently-used order, with `value`, dropping the
 * least recently used entry past `max` (the per-key state of limits and throttles stays bounded).
 */
export function touchBounded<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > max) map.delete(map.keys().next().value as K);
}

/** A bucket of `perWindow` per key (0: no limit), refilled at `perWindow` per `windowMs` (default a minute). */
export function createRateLimiter(perWindow: number, now: () => number = Date.now, windowMs = 60_000): RateLimiter {
  if (perWindow <= 0) return { take: () => 0 };
  const refillPerMs = perWindow / windowMs;
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    take(key) {
      const t = now();
      const bucket = buckets.get(key) ?? { tokens: perWindow, at: t };
      bucket.tokens = Math.min(perWindow, bucket.tokens + (t - bucket.at) * refillPerMs);
      bucket.at = t;
      touchBounded(buckets, key, bucket, MAX_KEYS);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return 0;
      }
      return Math.ceil((1 - bucket.tokens) / refillPerMs);
    },
  };
}

/**
 * Multi-instance mode on Redis: a pub/sub channel per topic (`<prefix>bus:<topic>`), token buckets
 * updated by one Lua script each (atomic, Redis's clock), sorted sets for remembered values, and
 * outbox lane leases (`SET NX PX`, renewed and released only by their holder).
 * Commands time out after a second: a Redis that is down costs a request a bounded wait, never a hang.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { asCodedError, KefuError, type LaneLease, type LaneLeases, type Logger } from '../../core';
import type { FailureCounts, Failures } from '../failure-counts';
import type { RateLimiter } from '../rate-limit';
import type { Cluster, ClusterTopic } from './types';

const COMMAND_TIMEOUT_MS = 1000;
const LEASE_TTL_MS = 30_000;

/** Takes one token from the bucket at KEYS[1] (capacity ARGV[1], refill ARGV[2] per ms); returns the wait in ms (0 = allowed). */
const TAKE_TOKEN = `
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
local cap = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(b[1]) or cap
local at = tonumber(b[2]) or now
tokens = math.min(cap, tokens + math.max(0, now - at) * rate)
local wait = 0
if tokens >= 1 then tokens = tokens - 1 else wait = math.ceil((1 - tokens) / rate) end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(cap / rate) + 1000)
return wait`;

const RENEW_IF_HELD = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;
const RELEASE_IF_HELD = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

interface Envelope {
  from: string;
  payload: unknown;
}

export interface RedisClusterOptions {
  url: string;
  prefix: string;
  log: Logger;
  /** How long an outbox lane lease lasts unless renewed (default 30 s). */
  leaseTtlMs?: number;
}

/** Connects (commands and a subscriber connection); fails start-up with KEFU_ERR_CLUSTER_UNAVAILABLE when Redis does not answer. */
export async function connectRedisCluster(opts: RedisClusterOptions): Promise<Cluster> {
  const { prefix, log } = opts;
  const leaseTtl = opts.leaseTtlMs ?? LEASE_TTL_MS;
  const instanceId = randomBytes(6).toString('hex');
  const connect = () => new Redis(opts.url, { lazyConnect: true, commandTimeout: COMMAND_TIMEOUT_MS, maxRetriesPerRequest: 1, connectTimeout: 2000, enableAutoPipelining: true });
  const commands = connect();
  const subscriber = connect();
  for (const [name, client] of [
    ['commands', commands],
    ['subscriber', subscriber],
  ] as const) {
    client.on('error', (err: Error) => log.warn({ redis: name, code: 'KEFU_ERR_CLUSTER_UNAVAILABLE', reason: err.message }, 'redis connection problem; retrying'));
  }
  try {
    await Promise.all([commands.connect(), subscriber.connect()]);
    await commands.ping();
  } catch (err) {
    commands.disconnect();
    subscriber.disconnect();
    throw new KefuError('KEFU_ERR_CLUSTER_UNAVAILABLE', `Redis at REDIS_URL does not answer (${(err as Error).message}); start it or unset REDIS_URL for one instance.`, {
      cause: err,
    });
  }

  const handlers = new Map<string, Array<(payload: unknown) => void>>();
  const channelOf = (topic: ClusterTopic) => `${prefix}bus:${topic}`;
  subscriber.on('message', (channel: string, text: string) => {
    let envelope: Envelope;
    try {
      envelope = JSON.parse(text) as Envelope;
    } catch {
      log.warn({ channel }, 'cluster message is not JSON; dropped');
      return;
    }
    if (envelope.from === instanceId) return;
    for (const handle of handlers.get(channel) ?? []) {
      try {
        handle(envelope.payload);
      } catch (err) {
        log.error({ channel, code: asCodedError(err).code }, 'cluster message handler failed');
      }
    }
  });

  const leases: LaneLeases = {
    ttlMs: leaseTtl,
    async acquire(key) {
      const name = `${prefix}lane:${key}`;
      const holder = `${instanceId}.${randomBytes(6).toString('hex')}`;
      if ((await commands.set(name, holder, 'PX', leaseTtl, 'NX')) !== 'OK') return undefined;
      const lease: LaneLease = {
        renew: async () => Number(await commands.eval(RENEW_IF_HELD, 1, name, holder, String(leaseTtl))) === 1,
        release: async () => {
          await commands.eval(RELEASE_IF_HELD, 1, name, holder);
        },
      };
      return lease;
    },
  };

  return {
    mode: 'redis',
    instanceId,
    publish(topic, payload) {
      commands.publish(channelOf(topic), JSON.stringify({ from: instanceId, payload } satisfies Envelope)).catch((err: Error) => {
        log.warn({ topic, code: 'KEFU_ERR_CLUSTER_UNAVAILABLE', reason: err.message }, 'cluster message not published; other instances catch up from the store');
      });
    },
    subscribe(topic, handler) {
      const channel = channelOf(topic);
      const list = handlers.get(channel) ?? [];
      if (!list.length) void subscriber.subscribe(channel).catch((err: Error) => log.error({ topic, reason: err.message }, 'cluster subscribe failed'));
      handlers.set(channel, [...list, handler]);
    },
    rateLimiter: (name, perWindow, windowMs = 60_000) => redisRateLimiter(commands, `${prefix}limit:${name}:`, perWindow, windowMs, log),
    failureCounts: (name, forgetMs) => redisFailureCounts(commands, `${prefix}failures:${name}:`, forgetMs),
    async remember(set, member, untilMs) {
      const key = `${prefix}set:${set}`;
      await commands.zadd(key, untilMs, member);
      await commands.zremrangebyscore(key, '-inf', Date.now());
      // The set lives as long as its longest member: set an expiry if none, else only extend it.
      await commands.pexpireat(key, untilMs, 'NX');
      await commands.pexpireat(key, untilMs, 'GT');
    },
    async recall(set) {
      const flat = await commands.zrangebyscore(`${prefix}set:${set}`, Date.now(), '+inf', 'WITHSCORES');
      const out: Array<{ member: string; untilMs: number }> = [];
      for (let i = 0; i + 1 < flat.length; i += 2) out.push({ member: flat[i] as string, untilMs: Number(flat[i + 1]) });
      return out;
    },
    leases,
    async close() {
      await Promise.allSettled([subscriber.quit(), commands.quit()]);
    },
  };
}

/**
 * A token bucket per key in Redis. When Redis does not answer the message is let through (a limit
 * is a guard against floods, not a reason to refuse every customer while Redis restarts), and logged.
 */
function redisRateLimiter(redis: Redis, keyPrefix: string, perWindow: number, windowMs: number, log: Logger): RateLimiter {
  if (perWindow <= 0) return { take: () => 0 };
  const refillPerMs = perWindow / windowMs;
  return {
    async take(key) {
      try {
        return Number(await redis.eval(TAKE_TOKEN, 1, keyPrefix + key, String(perWindow), String(refillPerMs)));
      } catch (err) {
        log.warn({ code: 'KEFU_ERR_CLUSTER_UNAVAILABLE', reason: (err as Error).message }, 'rate limit not checked: redis did not answer');
        return 0;
      }
    },
  };
}

/** Failure counts in a hash per key (`count`, `last`), expiring `forgetMs` after the last failure. */
function redisFailureCounts(redis: Redis, keyPrefix: string, forgetMs: number): FailureCounts {
  const read = (h: Record<string, string>): Failures | undefined => (h.count ? { count: Number(h.count), last: Number(h.last) } : undefined);
  return {
    get: async (key) => read(await redis.hgetall(keyPrefix + key)),
    async bump(key, at) {
      const k = keyPrefix + key;
      const [[, count]] = (await redis.multi().hincrby(k, 'count', 1).hset(k, 'last', at).pexpire(k, forgetMs).exec()) as [[Error | null, number]];
      return { count: Number(count), last: at };
    },
    async clear(key) {
      await redis.del(keyPrefix + key);
    },
  };
}

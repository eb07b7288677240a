/**
 * Daily counters in the store, exact under concurrency: each turn's counts are added to a pending
 * delta per bucket; one writer per bucket applies the delta with a read-add-write under the store's
 * version check (retrying on conflict, so other processes' counts are never overwritten). Turns that
 * end while a write is in flight are folded into the next write. A store outage keeps the counts in
 * memory and retries them later.
 */
import { z } from 'zod';
import { asCodedError, KefuError } from '../errors';
import type { Logger } from '../logger';
import { LOCALES, type Locale } from '../model';
import { withStoreRetry } from '../session-io';
import type { SessionStore } from '../store';
import type { DayBucket } from './types';

export const BUCKET_PREFIX = 'analytics:';
const MAX_INTENTS = 50;
const OTHER_INTENT = '(other)';
const MAX_ATTEMPTS = 50;

const bucketSchema = z.object({
  day: z.string(),
  channel: z.string(),
  locale: z.enum(LOCALES),
  conversations: z.number().default(0),
  turns: z.number().default(0),
  botTurns: z.number().default(0),
  fallbackTurns: z.number().default(0),
  noneTurns: z.number().default(0),
  intents: z.record(z.string(), z.number()).default({}),
});

export function bucketKey(day: string, channel: string, locale: Locale): string {
  return `${BUCKET_PREFIX}${day}:${encodeURIComponent(channel)}:${locale}`;
}

export function parseBucket(value: unknown): DayBucket | undefined {
  const parsed = bucketSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

export function emptyBucket(day: string, channel: string, locale: Locale): DayBucket {
  return { day, channel, locale, conversations: 0, turns: 0, botTurns: 0, fallbackTurns: 0, noneTurns: 0, intents: {} };
}

/** `a + b`, keeping `a`'s day, channel and locale; intent names beyond `maxIntents` (50) count as "(other)". */
export function addBuckets(a: DayBucket, b: Omit<DayBucket, 'day' | 'channel' | 'locale'>, maxIntents = MAX_INTENTS): DayBucket {
  const intents = { ...a.intents };
  for (const [name, n] of Object.entries(b.intents)) {
    const key = name in intents || Object.keys(intents).length < maxIntents ? name : OTHER_INTENT;
    intents[key] = (intents[key] ?? 0) + n;
  }
  return {
    ...a,
    conversations: a.conversations + b.conversations,
    turns: a.turns + b.turns,
    botTurns: a.botTurns + b.botTurns,
    fallbackTurns: a.fallbackTurns + b.fallbackTurns,
    noneTurns: a.noneTurns + b.noneTurns,
    intents,
  };
}

export interface BucketWriter {
  add(delta: DayBucket): void;
  /** Resolves when every write started so far has finished (or been put off after a store failure). */
  idle(): Promise<void>;
  /** One last attempt for what is pending; then no more retries. */
  close(): Promise<void>;
}

export function createBucketWriter(store: SessionStore<unknown>, log: Logger, opts: { retryMs?: number } = {}): BucketWriter {
  const pending = new Map<string, DayBucket>();
  const running = new Map<string, Promise<void>>();
  const retryTimers = new Map<string, NodeJS.Timeout>();
  let closed = false;

  async function apply(key: string, delta: DayBucket): Promise<void> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const found = await withStoreRetry('read analytics counters', () => store.read(key));
      const base = (found && parseBucket(found.value)) || emptyBucket(delta.day, delta.channel, delta.locale);
      if ((await withStoreRetry('save analytics counters', () => store.write(key, addBuckets(base, delta), found?.version ?? 0))) === 'ok') return;
    }
    throw new KefuError('KEFU_ERR_STORE_CONFLICT', `Analytics counters "${key}" kept changing under ${MAX_ATTEMPTS} attempts.`);
  }

  async function drain(key: string): Promise<void> {
    for (let delta = pending.get(key); delta; delta = pending.get(key)) {
      pending.delete(key);
      try {
        await apply(key, delta);
      } catch (err) {
        const code = asCodedError(err).code;
        if (closed) {
          log.error({ code, bucket: key, turns: delta.turns }, 'analytics counters lost at shutdown: the store refused them');
          continue;
        }
        const later = pending.get(key);
        pending.set(key, later ? addBuckets(delta, later) : delta);
        log.warn({ code, bucket: key }, 'analytics counters not saved yet; kept for a retry');
        const timer = setTimeout(() => {
          retryTimers.delete(key);
          kick(key);
        }, opts.retryMs ?? 5000);
        timer.unref();
        retryTimers.set(key, timer);
        return;
      }
    }
  }

  function kick(key: string): void {
    if (running.has(key) || retryTimers.has(key) || !pending.has(key)) return;
    const run = drain(key).finally(() => {
      running.delete(key);
      kick(key); // counts that arrived while the last write finished
    });
    running.set(key, run);
  }

  async function idle(): Promise<void> {
    while (running.size) await Promise.all(running.values());
  }

  return {
    add(delta) {
      const key = bucketKey(delta.day, delta.channel, delta.locale);
      const current = pending.get(key);
      pending.set(key, current ? addBuckets(current, delta) : delta);
      kick(key);
    },
    idle,
    async close() {
      closed = true;
      for (const [key, timer] of retryTimers) {
        clearTimeout(timer);
        retryTimers.delete(key);
        kick(key);
      }
      await idle();
    },
  };
}

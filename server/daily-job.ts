/**
 * A job that is due at most once a day (retention, backups): it looks soon after start-up and then
 * every hour, runs one at a time, and logs a failure with its code (the next look tries again).
 * Whether it is due, and which instance takes it, is the job's own `runOnce` (a claim in the store).
 */
import { asCodedError, type Logger, type Repositories } from '../core';

const LOOK_EVERY_MS = 60 * 60_000;
const DAY_MS = 86_400_000;

export interface DailyJob<T> {
  /** Runs the job unless it is not due (resolves undefined) or already running (joins that run). */
  runIfDue(): Promise<T | undefined>;
  /** Stops looking, and waits for a run in progress. */
  stop(): Promise<void>;
}

export function startDailyJob<T>(opts: { runOnce: () => Promise<T | undefined>; log: Logger; failed: string; firstLookMs: number }): DailyJob<T> {
  let running: Promise<T | undefined> | undefined;
  const runIfDue = () => {
    running ??= opts.runOnce().finally(() => {
      running = undefined;
    });
    return running;
  };
  const look = () => {
    runIfDue().catch((err: unknown) => opts.log.error({ code: asCodedError(err).code, reason: (err as Error).message }, opts.failed));
  };
  const timer = setInterval(look, LOOK_EVERY_MS);
  timer.unref();
  const first = setTimeout(look, opts.firstLookMs);
  first.unref();
  return {
    runIfDue,
    async stop() {
      clearInterval(timer);
      clearTimeout(first);
      await running?.catch(() => undefined);
    },
  };
}

/**
 * Claims the day's run of the job recorded in the meta value `name` (`{ at }`), with compare-and-set
 * so several instances take it once: undefined when it ran (or was claimed) in the last 24 h or
 * another instance just took it; else what `release` puts back should the run fail.
 */
export async function claimDay(data: Repositories, name: string, at: number): Promise<{ release(): Promise<void> } | undefined> {
  const last = await data.meta.get<{ at?: unknown }>(name);
  const lastAt = typeof last?.value?.at === 'number' ? last.value.at : 0;
  if (at - lastAt < DAY_MS) return undefined;
  const version = last?.version ?? 0;
  if ((await data.meta.put(name, { at }, version)) !== 'ok') return undefined;
  return {
    release: async () => {
      await data.meta.put(name, { at: lastAt }, version + 1); // the next look tries again
    },
  };
}

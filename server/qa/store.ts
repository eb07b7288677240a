/**
 * Where QA results live (docs/quality.md): in `data.meta`, so every backend and instance shares
 * them without a new table. Each result is one document (`qa:r:<handoff id>`, the truth), and each
 * UTC day of resolves has an index document (`qa:d:<YYYY-MM-DD>`, bounded) that the lists, the
 * per-agent scores and the CSV read: a request reads one document per day asked for, never a scan.
 * Both are written by compare-and-set, retried on a concurrent change.
 */
import { changeMeta, type Repositories } from '../../core';
import type { QaResult } from './types';

/** Results a day index keeps; beyond it a day's results are still stored, counted as `dropped`. */
export const MAX_RESULTS_PER_DAY = 5000;
const MAX_ATTEMPTS = 10;

export interface QaDay {
  schema: 1;
  items: QaResult[];
  dropped: number;
}

export const dayOf = (at: number) => new Date(at).toISOString().slice(0, 10);
const resultName = (id: string) => `qa:r:${id}`;
const dayName = (day: string) => `qa:d:${day}`;

export interface QaStore {
  get(id: string): Promise<QaResult | undefined>;
  /** Saves the result and its entry in its day's index. */
  save(result: QaResult): Promise<void>;
  /** Changes a stored result (read, change, compare-and-set) and its day entry; undefined when there is none. */
  update(id: string, change: (r: QaResult) => QaResult): Promise<QaResult | undefined>;
  /** The results of one UTC day (YYYY-MM-DD), in the order they were first saved. */
  day(day: string): Promise<QaDay>;
}

const casLoop = <T>(data: Repositories, name: string, apply: (current: T | undefined) => T | undefined) =>
  changeMeta<T>(data, name, apply, { what: `the QA document "${name}"`, attempts: MAX_ATTEMPTS });

function withEntry(day: QaDay | undefined, result: QaResult): QaDay {
  const d: QaDay = day ?? { schema: 1, items: [], dropped: 0 };
  const at = d.items.findIndex((r) => r.id === result.id);
  if (at >= 0) d.items[at] = result;
  else if (d.items.length < MAX_RESULTS_PER_DAY) d.items.push(result);
  else d.dropped += 1;
  return d;
}

export function createQaStore(data: Repositories): QaStore {
  const putDay = (r: QaResult) => casLoop<QaDay>(data, dayName(dayOf(r.resolvedAt)), (d) => withEntry(d, r));
  return {
    get: async (id) => (await data.meta.get<QaResult>(resultName(id)))?.value,
    async save(result) {
      await casLoop<QaResult>(data, resultName(result.id), () => result);
      await putDay(result);
    },
    async update(id, change) {
      const next = await casLoop<QaResult>(data, resultName(id), (r) => (r ? change(r) : undefined));
      if (next) await putDay(next);
      return next;
    },
    day: async (day) => (await data.meta.get<QaDay>(dayName(day)))?.value ?? { schema: 1, items: [], dropped: 0 },
  };
}

/**
 * Named counters grouped in scopes, added to atomically: the analytics day buckets
 * (`day:2025-01-31:web:en` → turns, botTurns, intent:order.status …) and all-time totals.
 * Callers batch: one `add` carries every delta gathered since the last flush.
 */
export interface CounterDelta {
  scope: string;
  values: Readonly<Record<string, number>>;
}

export interface CounterRepo {
  /** Adds every delta in one write; counters start at 0. */
  add(deltas: readonly CounterDelta[]): Promise<void>;
  get(scope: string): Promise<Record<string, number>>;
  /** Every scope from `from` to `to` inclusive (by string order) with its counters, in scope order. */
  range(from: string, to: string): Promise<Array<{ scope: string; values: Record<string, number> }>>;
}

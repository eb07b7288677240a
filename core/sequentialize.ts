/**
 * Per-key ordering: tasks with the same key run one after another, in arrival order; different keys
 * run concurrently. A keyed promise chain (grammY runner's sequentialize), cleaned up when idle.
 */
export type Sequentializer = <T>(key: string, task: () => Promise<T>) => Promise<T>;

export function createSequentializer(): Sequentializer & { readonly pending: number; idle(): Promise<void> } {
  const tails = new Map<string, Promise<unknown>>();
  const run = <T>(key: string, task: () => Promise<T>): Promise<T> => {
    const previous = tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return result;
  };
  return Object.assign(run, {
    get pending() {
      return tails.size;
    },
    /** Resolves once every task queued so far has settled (graceful shutdown). */
    async idle(): Promise<void> {
      while (tails.size) await Promise.all([...tails.values()]);
    },
  });
}

/** Telling a busy file (another connection holds the lock) from other driver errors, and how long to wait before trying again. */

/** SQLite's answer when another connection holds the lock a statement needs (SQLITE_BUSY and its extended codes). */
export function isBusy(err: unknown): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && String((err as { code: unknown }).code).startsWith('SQLITE_BUSY');
}

/** Waits between tries of a statement that found the file busy (ms); the last repeats. */
const BUSY_BACKOFF_MS = [1, 2, 5, 10, 20, 40];

/** The next wait after `tries` busy answers. */
export function busyBackoff(tries: number): number {
  return BUSY_BACKOFF_MS[Math.min(tries, BUSY_BACKOFF_MS.length - 1)] as number;
}

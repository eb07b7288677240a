/** Reading and saving sessions, with retries while the store is briefly unreachable. */
import { KefuError, isKefuError } from './errors';
import type { ConversationRef } from './model';
import { newSession, type SessionState } from './session';
import type { SessionStore, Versioned } from './store';

const RETRY_DELAYS_MS = [50, 200, 800, 2000];
const NOT_RETRIED = ['KEFU_ERR_STORE_CLOSED', 'KEFU_ERR_STORE_VALUE_INVALID', 'KEFU_ERR_STORE_DECRYPT_FAILED', 'KEFU_ERR_STORE_OPTIONS_INVALID'] as const;

/** Retries a store call on infrastructure errors (not on conflicts, which are answers). */
export async function withStoreRetry<T>(what: string, fn: () => Promise<T>, sleep = defaultSleep): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      // Only infrastructure failures are worth retrying; a closed store, a value that cannot be stored,
      // a record that does not decrypt or a bad option give the same answer every time.
      if (NOT_RETRIED.some((code) => isKefuError(err, code))) throw err;
      const delay = RETRY_DELAYS_MS[attempt];
      if (delay === undefined) {
        throw new KefuError('KEFU_ERR_STORE_UNAVAILABLE', `The session store failed to ${what} after ${attempt + 1} attempts; check that the database is reachable.`, { cause: err });
      }
      await sleep(delay);
    }
  }
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export async function loadSession(store: SessionStore<SessionState>, key: string, ref: ConversationRef, now: number): Promise<Versioned<SessionState>> {
  const found = await withStoreRetry('read a session', () => store.read(key));
  if (found && found.value?.schema === 1) return found;
  return { value: newSession(ref, now), version: found?.version ?? 0 };
}

export function saveSession(store: SessionStore<SessionState>, key: string, session: SessionState, expectedVersion: number): Promise<'ok' | 'conflict'> {
  return withStoreRetry('save a session', () => store.write(key, session, expectedVersion));
}

/** Reading sessions and committing turns, with bounded retries while the store is briefly unreachable. */
import type { Commit, CommitResult, Repositories, Versioned } from './data';
import { isKefuError, KefuError } from './errors';
import type { ConversationRef } from './model';
import { newSession, type SessionState } from './session';

/** Waits between attempts: a store that is still down after these (about 1 s plus the driver's own timeouts) fails the turn with a 503. */
const RETRY_DELAYS_MS = [50, 200, 800];
const NOT_RETRIED = [
  'KEFU_ERR_STORE_CLOSED',
  'KEFU_ERR_STORE_VALUE_INVALID',
  'KEFU_ERR_STORE_DECRYPT_FAILED',
  'KEFU_ERR_STORE_OPTIONS_INVALID',
  'KEFU_ERR_PAGE_INVALID',
  'KEFU_ERR_INTERNAL',
] as const;

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
        throw new KefuError('KEFU_ERR_STORE_UNAVAILABLE', `The store failed to ${what} after ${attempt + 1} attempts; check that the database is reachable.`, { cause: err });
      }
      await sleep(delay);
    }
  }
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** The conversation's session, or a new one (with the stored version, so the commit replaces an unreadable row). */
export async function loadSession(data: Repositories, key: string, ref: ConversationRef, now: number): Promise<Versioned<SessionState>> {
  const found = await withStoreRetry('read a session', () => data.sessions.read(key));
  if (found?.value?.schema === 1) return { value: withoutLegacyFields(found.value), version: found.version };
  return { value: newSession(ref, now), version: found?.version ?? 0 };
}

export function commitTurn(data: Repositories, commit: Commit): Promise<CommitResult> {
  return withStoreRetry('save a turn', () => data.commit(commit));
}

/** kefu 0.1 kept the last turns and their replies in the session; they live in the messages now. */
function withoutLegacyFields(s: SessionState): SessionState {
  const legacy = s as SessionState & { history?: unknown; answered?: unknown };
  if (legacy.history === undefined && legacy.answered === undefined) return s;
  const { history: _h, answered: _a, ...rest } = legacy;
  return rest;
}

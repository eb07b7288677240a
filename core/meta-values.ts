/**
 * Read-change-write of a named value (`data.meta`) by compare-and-set, the one way every module that
 * keeps a document there changes it, and a random salt kept there (created by whichever process
 * needs it first; every instance then uses the same one).
 * @example
 * const owed = await changeMeta<Owed>(data, 'reports:slack', (o) => ({ ...o, [date]: { attempts: 0 } }), { what: 'the owed daily reports', attempts: 5 });
 * const salt = await keptSalt(data, 'inbox-salt', { what: 'the inbox salt', attempts: 20 });
 */
import { randomBytes } from 'node:crypto';
import type { Repositories } from './data';
import { KefuError } from './errors';
import { withStoreRetry } from './session-io';

export interface MetaChangeOptions {
  /** Names the value in the store retries' and the conflict error's messages ("the inbox salt"). */
  what: string;
  /** Compare-and-set rounds before KEFU_ERR_STORE_CONFLICT. */
  attempts: number;
}

const conflict = (what: string) => new KefuError('KEFU_ERR_STORE_CONFLICT', `${what.charAt(0).toUpperCase()}${what.slice(1)} kept changing elsewhere; retry.`);

/**
 * Applies `change` to the stored value (undefined when there is none) and writes the result over
 * the version it read, again while another writer got there first. Resolves to what was written,
 * or undefined when `change` declined (returned undefined); KEFU_ERR_STORE_CONFLICT after `attempts`.
 */
export async function changeMeta<T>(
  data: Pick<Repositories, 'meta'>,
  name: string,
  change: (current: T | undefined) => T | undefined,
  opts: MetaChangeOptions,
): Promise<T | undefined> {
  for (let attempt = 0; attempt < opts.attempts; attempt++) {
    const stored = await data.meta.get<T>(name);
    const next = change(stored?.value);
    if (next === undefined) return undefined;
    if ((await data.meta.put(name, next, stored?.version ?? 0)) === 'ok') return next;
  }
  throw conflict(opts.what);
}

/** The salt kept under `name` (64 hex characters), made and stored on first use; a store blip is retried. */
export async function keptSalt(data: Pick<Repositories, 'meta'>, name: string, opts: MetaChangeOptions): Promise<string> {
  for (let attempt = 0; attempt < opts.attempts; attempt++) {
    const found = await withStoreRetry(`read ${opts.what}`, () => data.meta.get<{ salt?: unknown }>(name));
    const value = found?.value?.salt;
    if (typeof value === 'string' && value.length >= 32) return value;
    const fresh = randomBytes(32).toString('hex');
    if ((await withStoreRetry(`save ${opts.what}`, () => data.meta.put(name, { salt: fresh }, found?.version ?? 0))) === 'ok') return fresh;
  }
  throw conflict(opts.what);
}

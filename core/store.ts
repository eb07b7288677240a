/**
 * One storage interface for sessions (and any other keyed record kefu keeps), with a version
 * check on every write so concurrent turns never overwrite each other (botbuilder's eTag).
 * Every implementation runs `test/stores/store-suite.ts`.
 */
import { KefuError } from './errors';

export interface Versioned<S> {
  value: S;
  /** Starts at 1 on the first write and grows by one on each write. */
  version: number;
}

export interface SessionStore<S = unknown> {
  /** The stored value and its version, or undefined when absent or expired. */
  read(key: string): Promise<Versioned<S> | undefined>;
  /**
   * Writes when the stored version equals `expectedVersion` (0 = must not exist yet).
   * Returns 'conflict' instead of writing when another writer got there first.
   */
  write(key: string, value: S, expectedVersion: number): Promise<'ok' | 'conflict'>;
  delete(key: string): Promise<void>;
  /** Keys (and values) that start with `prefix`, oldest update first; at most `limit`. */
  list(prefix: string, limit?: number): Promise<Array<{ key: string } & Versioned<S>>>;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** Records not written for this long are treated as absent and swept. 0 = keep forever. */
  ttlSeconds?: number;
  /** Keys starting with one of these never expire (audit log, analytics, tickets outlive sessions). */
  keepPrefixes?: readonly string[];
  /** Injected clock (ms), for tests. */
  now?: () => number;
}

/**
 * Serialises a value for storage, or throws KEFU_ERR_STORE_VALUE_INVALID naming the key (undefined,
 * functions, BigInt, cycles). Shared by every store so they refuse the same values.
 */
export function encodeStoredValue(key: string, value: unknown): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (err) {
    throw new KefuError('KEFU_ERR_STORE_VALUE_INVALID', `Value for key "${key}" cannot be saved as JSON (${err instanceof Error ? err.message : String(err)}).`, { cause: err });
  }
  if (text === undefined) throw new KefuError('KEFU_ERR_STORE_VALUE_INVALID', `Value for key "${key}" cannot be saved as JSON (got ${typeof value}).`);
  return text;
}

/** When a record written at `now` expires (ms), or null when it never does. Shared by every store. */
export function expiryOf(key: string, now: number, opts: Pick<StoreOptions, 'ttlSeconds' | 'keepPrefixes'>): number | null {
  const ttlMs = (opts.ttlSeconds ?? 0) * 1000;
  if (ttlMs <= 0 || opts.keepPrefixes?.some((p) => key.startsWith(p))) return null;
  return now + ttlMs;
}

/** Parses a stored value, or throws KEFU_ERR_STORE_VALUE_INVALID naming the key (a corrupt row). */
export function decodeStoredValue<S>(key: string, text: string): S {
  try {
    return JSON.parse(text) as S;
  } catch (err) {
    throw new KefuError('KEFU_ERR_STORE_VALUE_INVALID', `Stored value of key "${key}" is not valid JSON; delete that key to reset it.`, { cause: err });
  }
}

/** Throws KEFU_ERR_STORE_OPTIONS_INVALID unless `limit` is a non-negative integer. */
export function checkListLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 0) {
    throw new KefuError('KEFU_ERR_STORE_OPTIONS_INVALID', `list() limit must be a non-negative integer (got ${String(limit)}).`);
  }
}

/** In-memory store: for tests and `kefu chat`. Not durable. */
export class MemoryStore<S = unknown> implements SessionStore<S> {
  private readonly data = new Map<string, { value: string; version: number; updatedAt: number; expiresAt: number | null }>();
  private closed = false;
  private readonly opts: StoreOptions;
  private readonly now: () => number;

  constructor(opts: StoreOptions = {}) {
    this.opts = opts;
    this.now = opts.now ?? Date.now;
  }

  private live(key: string) {
    const row = this.data.get(key);
    if (!row) return undefined;
    if (row.expiresAt !== null && this.now() > row.expiresAt) {
      this.data.delete(key);
      return undefined;
    }
    return row;
  }

  private check(): void {
    if (this.closed) throw new KefuError('KEFU_ERR_STORE_CLOSED', 'MemoryStore was used after close(); create a new store.');
  }

  async read(key: string): Promise<Versioned<S> | undefined> {
    this.check();
    const row = this.live(key);
    // Stored as JSON so callers never share mutable objects with the store (like a real database).
    return row ? { value: JSON.parse(row.value) as S, version: row.version } : undefined;
  }

  async write(key: string, value: S, expectedVersion: number): Promise<'ok' | 'conflict'> {
    this.check();
    const text = encodeStoredValue(key, value);
    const current = this.live(key)?.version ?? 0;
    if (current !== expectedVersion) return 'conflict';
    const at = this.now();
    this.data.set(key, { value: text, version: current + 1, updatedAt: at, expiresAt: expiryOf(key, at, this.opts) });
    return 'ok';
  }

  async delete(key: string): Promise<void> {
    this.check();
    this.data.delete(key);
  }

  async list(prefix: string, limit = 1000): Promise<Array<{ key: string } & Versioned<S>>> {
    this.check();
    checkListLimit(limit);
    const rows = [...this.data.keys()]
      .filter((k) => k.startsWith(prefix))
      .map((k) => ({ key: k, row: this.live(k) }))
      .filter((r): r is { key: string; row: NonNullable<typeof r.row> } => r.row !== undefined)
      .sort((a, b) => a.row.updatedAt - b.row.updatedAt || a.key.localeCompare(b.key))
      .slice(0, limit);
    return rows.map((r) => ({ key: r.key, value: JSON.parse(r.row.value) as S, version: r.row.version }));
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}

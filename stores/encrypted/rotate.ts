/**
 * Key rotation at rest: every sealed body still under an old key is opened and sealed again with
 * the current one, table by table, in batches. Backend-neutral: a backend lists its sealed bodies
 * through {@link SealedTable}. A row is replaced only if its body is still the one read (a write
 * that came in between wins and is left alone), so the server may keep running. Rows already under
 * the current key are skipped by their envelope's key id, without decrypting: a run that stopped
 * half-way is resumed by running it again.
 */
import { type Keyring, reseal, sealedKeyId } from './cipher';

/** One stored body: where the scan is (`cursor`), the name it is sealed under, the stored text. */
export interface SealedRow {
  cursor: string;
  aad: string;
  body: string;
}

export interface SealedTable {
  /** e.g. 'sessions', 'messages' (for the counts). */
  readonly name: string;
  /** The rows after `cursor` (from the start when undefined), in a stable order, at most `limit`. */
  scan(after: string | undefined, limit: number): Promise<SealedRow[]>;
  /** Writes `body` in place of `row.body` if the row still holds `row.body`; false when it changed meanwhile. */
  replace(row: SealedRow, body: string): Promise<boolean>;
}

export interface TableCounts {
  table: string;
  /** Rows read. */
  scanned: number;
  /** Sealed again with the current key. */
  rewritten: number;
  /** Already under the current key. */
  current: number;
  /** Changed by a concurrent write between read and rewrite (left as written). */
  raced: number;
  /** Not kefu-sealed (plain data): left as it is. */
  plain: number;
}

export interface RotateOptions {
  /** Rows per batch (default 500). */
  batchSize?: number;
  /** Called after every batch with the table's counts so far. */
  onBatch?: (counts: Readonly<TableCounts>) => void;
}

async function rotateTable(table: SealedTable, ring: Keyring, opts: RotateOptions): Promise<TableCounts> {
  const counts: TableCounts = { table: table.name, scanned: 0, rewritten: 0, current: 0, raced: 0, plain: 0 };
  const limit = opts.batchSize ?? 500;
  let cursor: string | undefined;
  for (;;) {
    const batch = await table.scan(cursor, limit);
    for (const row of batch) {
      counts.scanned += 1;
      const id = sealedKeyId(row.body);
      if (id === undefined) counts.plain += 1;
      else if (id === ring.currentId) counts.current += 1;
      else if (await table.replace(row, reseal(ring, row.aad, row.body))) counts.rewritten += 1;
      else counts.raced += 1;
    }
    cursor = batch.at(-1)?.cursor ?? cursor;
    if (batch.length) opts.onBatch?.(counts);
    if (batch.length < limit) return counts;
  }
}

/**
 * Seals every body of `tables` under the ring's current key. Throws KEFU_ERR_STORE_DECRYPT_FAILED
 * (and stops) at a body no configured key opens; what was rewritten before stays rewritten.
 */
export async function rotateSealedTables(tables: readonly SealedTable[], ring: Keyring, opts: RotateOptions = {}): Promise<TableCounts[]> {
  const all: TableCounts[] = [];
  for (const t of tables) all.push(await rotateTable(t, ring, opts));
  return all;
}

/** How many bodies each key id seals, per table (what `kefu keys status` prints; nothing is decrypted). */
export async function countKeyIds(tables: readonly SealedTable[], batchSize = 1000): Promise<Array<{ table: string; byKeyId: Record<string, number> }>> {
  const out: Array<{ table: string; byKeyId: Record<string, number> }> = [];
  for (const t of tables) {
    const byKeyId: Record<string, number> = {};
    let cursor: string | undefined;
    for (;;) {
      const batch = await t.scan(cursor, batchSize);
      for (const row of batch) {
        const id = sealedKeyId(row.body) ?? 'plain';
        byKeyId[id] = (byKeyId[id] ?? 0) + 1;
      }
      cursor = batch.at(-1)?.cursor ?? cursor;
      if (batch.length < batchSize) break;
    }
    out.push({ table: t.name, byKeyId });
  }
  return out;
}

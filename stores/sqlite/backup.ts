/**
 * A consistent copy of the SQLite store while the server runs. `VACUUM INTO` reads one snapshot in
 * a read transaction (WAL: the server's writes go on meanwhile and are not in the copy) and writes
 * it compacted; the copy is written beside the destination, checked (`PRAGMA integrity_check`),
 * made owner-only and only then renamed into place, so a failed or interrupted backup leaves no
 * file that looks complete. Sealed bodies are copied as they are: restoring needs the same keys.
 */
import { chmodSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { KefuError } from '../../core';
import { describe } from './open-database';

/** What a backup holds, by table (row counts only: nothing personal). */
export interface BackupSummary {
  path: string;
  bytes: number;
  ms: number;
  rows: Record<string, number>;
}

const COUNTED = ['kefu_conversations', 'kefu_messages', 'kefu_handoffs', 'kefu_tickets', 'kefu_audit', 'kefu_inbox'] as const;

export function backupSqlite(source: string, destination: string, opts: { overwrite?: boolean; busyTimeoutMs?: number } = {}): BackupSummary {
  const started = Date.now();
  const from = resolve(source);
  const to = resolve(destination);
  if (!existsSync(from)) throw new KefuError('KEFU_ERR_STORE_UNAVAILABLE', `There is no SQLite store at "${from}": check DATA_DIR.`);
  if (from === to) throw new KefuError('KEFU_ERR_CONFIG_INVALID', 'The backup must go to another file than the store itself.');
  if (existsSync(to) && !opts.overwrite) throw new KefuError('KEFU_ERR_CONFIG_INVALID', `"${to}" exists; choose a new file, or pass --force to replace it.`);
  const partial = `${to}.partial-${process.pid}`;
  mkdirSync(dirname(to), { recursive: true, mode: 0o700 }); // a new folder is the owner's only, as DATA_DIR
  rmSync(partial, { force: true });
  try {
    const db = new Database(from, { fileMustExist: true, timeout: opts.busyTimeoutMs ?? 5000 });
    try {
      db.prepare('VACUUM INTO ?').run(partial);
    } finally {
      db.close();
    }
    chmodSync(partial, 0o600);
    const rows = checkCopy(partial);
    renameSync(partial, to);
    return { path: to, bytes: statSync(to).size, ms: Date.now() - started, rows };
  } catch (err) {
    rmSync(partial, { force: true });
    if (err instanceof KefuError) throw err;
    throw new KefuError('KEFU_ERR_STORE_UNAVAILABLE', `The backup of "${from}" to "${to}" failed (${describe(err)}); nothing was written there.`, { cause: err });
  }
}

/** Opens the copy, checks every page and index, and counts the main tables' rows. */
function checkCopy(path: string): Record<string, number> {
  const copy = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const problems = copy.pragma('integrity_check', { simple: false }) as Array<{ integrity_check: string }>;
    const first = problems[0]?.integrity_check;
    if (first !== 'ok') throw new KefuError('KEFU_ERR_STORE_UNAVAILABLE', `The copy failed SQLite's integrity check (${first ?? 'no answer'}); it was not kept.`);
    const rows: Record<string, number> = {};
    for (const table of COUNTED) rows[table] = (copy.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    return rows;
  } finally {
    copy.close();
  }
}

/** Opening the SQLite file, with coded errors that say what to do. */
import { mkdirSync, openSync, closeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { KefuError } from '../../core';

/** Opens (creating if needed) the database file at `path`: WAL, busy timeout, owner-only permissions. */
export function openDatabaseFile(path: string, busyTimeoutMs: number): Database.Database {
  const full = resolve(path);
  let db: Database.Database | undefined;
  try {
    // Conversations hold personal data: the folder and file are created readable by the owner only.
    mkdirSync(dirname(full), { recursive: true, mode: 0o700 });
    closeSync(openSync(full, 'a', 0o600));
    db = new Database(full, { timeout: busyTimeoutMs });
    db.pragma('journal_mode = WAL');
    // In WAL mode NORMAL survives a crash of the process; a power loss can drop the last commits.
    db.pragma('synchronous = NORMAL');
    return db;
  } catch (err) {
    db?.close();
    throw new KefuError(
      'KEFU_ERR_STORE_UNAVAILABLE',
      `Cannot open the SQLite database at "${full}" (${describe(err)}). Check that its folder can be created and written by this user and that the file is a SQLite database, or set DATA_DIR to another folder.`,
      { cause: err },
    );
  }
}

export function describe(err: unknown): string {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String((err as { code: unknown }).code) : undefined;
  const message = err instanceof Error ? err.message : String(err);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}

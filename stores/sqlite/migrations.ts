/**
 * Versioned migrations, applied in order at start-up. Each runs in its own write transaction with
 * its row in `kefu_schema_migrations`: a failure rolls that migration back and stops start-up with
 * KEFU_ERR_STORE_MIGRATION_FAILED, and two processes starting at once apply each migration once.
 */
import type Database from 'better-sqlite3';
import { KefuError, type RowReader } from '../../core';
import { addCustomerLinksAndRetentionIndexes, linkSelfCustomersByKey } from './customer-links';
import { importLegacyStore } from './legacy-import';
import { describe } from './open-database';
import { SCHEMA_V1 } from './schema';

export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database, rows: RowReader): void;
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'a table per repository', up: (db) => db.exec(SCHEMA_V1) },
  { version: 2, name: 'import the kefu 0.1 key-value store', up: (db, rows) => importLegacyStore(db, rows) },
  // Erasure on request deletes a conversation's tickets in any status (the key index covers open ones only).
  { version: 3, name: 'tickets by conversation', up: (db) => db.exec('CREATE INDEX IF NOT EXISTS kefu_tickets_by_key ON kefu_tickets (key)') },
  // Erasure by customer finds conversations through their links; retention deletes by age through an index per kind.
  { version: 4, name: 'customer links and retention indexes', up: (db, rows) => addCustomerLinksAndRetentionIndexes(db, rows) },
  // A web visitor's conversation is its own customer: no customer column nor index entry for it (size per conversation).
  { version: 5, name: 'customer links without self links in the customer index', up: (db) => linkSelfCustomersByKey(db) },
];

const appliedVersion = (db: Database.Database): number => (db.prepare<[], { v: number | null }>('SELECT MAX(version) AS v FROM kefu_schema_migrations').get()?.v ?? 0) as number;

/** Applies the migrations not applied yet; resolves to the versions it applied. */
export function migrate(db: Database.Database, rows: RowReader, migrations: readonly Migration[] = MIGRATIONS): number[] {
  db.exec('CREATE TABLE IF NOT EXISTS kefu_schema_migrations (version INTEGER PRIMARY KEY NOT NULL, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
  const applied: number[] = [];
  for (const m of migrations) {
    const apply = db.transaction(() => {
      if (appliedVersion(db) >= m.version) return false;
      m.up(db, rows);
      db.prepare('INSERT INTO kefu_schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, Date.now());
      return true;
    });
    try {
      if (apply.immediate()) applied.push(m.version);
    } catch (err) {
      throw new KefuError(
        'KEFU_ERR_STORE_MIGRATION_FAILED',
        `Migration ${m.version} (${m.name}) of "${db.name}" failed and was rolled back (${describe(err)}). The database is as it was before it; fix the cause (see the error) and start again.`,
        { cause: err },
      );
    }
  }
  return applied;
}

/** The schema version of the database (0 before any migration). */
export function schemaVersion(db: Database.Database): number {
  return appliedVersion(db);
}

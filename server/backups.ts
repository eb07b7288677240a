/**
 * Daily copies of the SQLite store into BACKUP_DIR (docs/stores.md), the newest BACKUP_KEEP kept.
 * Each copy is `kefu backup` in a child process: VACUUM INTO holds its thread for seconds on a
 * large store, and the server's event loop must not wait for it. Several instances on one store
 * take the day's copy once (a compare-and-set on the meta value `backup-daily`); a copy that fails
 * gives the claim back, so the next hourly look tries again.
 */
import { execFile } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { type Config, KefuError, type Logger, type Repositories } from '../core';
import type { BackupSummary } from '../stores/sqlite/backup';
import { claimDay, startDailyJob } from './daily-job';

const FIRST_LOOK_MS = 10_000;
const BACKUP_META = 'backup-daily';
/** The copies this job writes and prunes; other files in the folder are left alone. */
const COPY_NAME = /^kefu-\d{4}-\d{2}-\d{2}T\d{4}\.db$/;
const KEFU_BIN = resolve(__dirname, '../bin/kefu.js');

export interface BackupOptions {
  /** The store's file (DATA_DIR/kefu.db). */
  dbPath: string;
  dir: string;
  keep: number;
  data: Repositories;
  log: Logger;
  now?: () => number;
  /** Writes the copy (default: `kefu backup <file> --json` in a child process). */
  copy?: (dbPath: string, file: string) => Promise<BackupSummary>;
}

export interface Backups {
  /** Takes today's copy unless one was taken in the last 24 h (by any instance); resolves to it, or undefined. */
  backupIfDue(): Promise<BackupSummary | undefined>;
  /** When the last copy was taken (by any instance; one in progress counts), or null before the first. */
  lastAt(): Promise<number | null>;
  stop(): Promise<void>;
}

/** The daily copies BACKUP_DIR asks for; the SQLite store only (MongoDB is backed up with mongodump, as the log says). */
export function wireBackups(config: Readonly<Config>, data: Repositories, log: Logger): Backups | undefined {
  if (!config.BACKUP_DIR) return undefined;
  if (data.kind !== 'sqlite') {
    log.warn({ store: data.kind }, 'BACKUP_DIR copies the SQLite store only; back this store up with its own tools (MongoDB: mongodump)');
    return undefined;
  }
  return startBackups({ dbPath: join(config.DATA_DIR, 'kefu.db'), dir: resolve(config.BACKUP_DIR), keep: config.BACKUP_KEEP, data, log });
}

/** The copy's name for `at`: kefu-2026-12-08T0310.db (UTC), so names sort by time. */
export const copyName = (at: number) => `kefu-${new Date(at).toISOString().slice(0, 16).replace(':', '')}.db`;

export function startBackups(opts: BackupOptions): Backups {
  const now = opts.now ?? Date.now;
  const copy = opts.copy ?? copyInChild;

  async function backupOnce(): Promise<BackupSummary | undefined> {
    const at = now();
    const claim = await claimDay(opts.data, BACKUP_META, at);
    if (!claim) return undefined;
    let summary: BackupSummary;
    try {
      summary = await copy(opts.dbPath, join(opts.dir, copyName(at)));
    } catch (err) {
      await claim.release();
      throw err;
    }
    const pruned = prune(opts.dir, opts.keep);
    opts.log.info({ file: summary.path, bytes: summary.bytes, ms: summary.ms, pruned }, 'daily backup');
    return summary;
  }

  const job = startDailyJob({ runOnce: backupOnce, log: opts.log, failed: 'daily backup failed; it tries again within the hour', firstLookMs: FIRST_LOOK_MS });
  return {
    backupIfDue: job.runIfDue,
    async lastAt() {
      const at = (await opts.data.meta.get<{ at?: unknown }>(BACKUP_META))?.value.at;
      return typeof at === 'number' && at > 0 ? at : null;
    },
    stop: job.stop,
  };
}

/** Deletes the oldest copies past `keep`; resolves to how many went. */
function prune(dir: string, keep: number): number {
  const copies = readdirSync(dir)
    .filter((name) => COPY_NAME.test(name))
    .sort();
  const old = copies.slice(0, Math.max(0, copies.length - keep));
  for (const name of old) rmSync(join(dir, name), { force: true });
  return old.length;
}

const run = promisify(execFile);

async function copyInChild(dbPath: string, file: string): Promise<BackupSummary> {
  try {
    const { stdout } = await run(process.execPath, [KEFU_BIN, 'backup', file, '--json'], { env: { ...process.env, DATA_DIR: dirname(dbPath) }, maxBuffer: 1 << 20 });
    return JSON.parse(stdout) as BackupSummary;
  } catch (err) {
    const said = (err as { stderr?: string }).stderr?.trim();
    throw new KefuError('KEFU_ERR_STORE_UNAVAILABLE', `The daily backup to "${file}" failed${said ? `: ${said}` : ''}.`, { cause: err });
  }
}

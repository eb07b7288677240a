/** `kefu backup <file>`: a consistent copy of the embedded SQLite store, taken while the server runs. */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isKefuError, loadConfig } from '../../core';
import { backupSqlite } from '../../stores/sqlite/backup';
import type { CommandIo } from './train';

const HELP = `usage: kefu backup <file> [--force] [--json]

Copies the embedded store (DATA_DIR/kefu.db) into <file>, also while kefu runs: one consistent
snapshot (turns go on meanwhile; what they write after the snapshot is not in the copy), compacted,
checked with SQLite's integrity check, readable by the owner only. Prints the copy's size and its
row counts. Records sealed with KEFU_ENCRYPTION_KEY stay sealed: keep the key with the backup.

To restore: stop kefu, remove DATA_DIR/kefu.db-wal and kefu.db-shm, put the copy at
DATA_DIR/kefu.db, start kefu (an older copy is migrated at start-up).
With MONGODB_URI set the store is MongoDB: back it up with mongodump instead.

  --force  replace <file> if it exists
  --json   machine-readable output
  --help   this text
`;

export interface BackupCommandDeps {
  env?: Record<string, string | undefined>;
}

export async function run(argv: string[], io: CommandIo = { stdout: process.stdout, stderr: process.stderr }, deps: BackupCommandDeps = {}): Promise<number> {
  let parsed: { values: { force?: boolean; json?: boolean; help?: boolean }; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, options: { force: { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean' } } });
  } catch (err) {
    io.stderr.write(`kefu backup: ${err instanceof Error ? err.message : String(err)}\n\n${HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const [file, ...extra] = positionals;
  if (!file || extra.length) {
    io.stderr.write(`kefu backup: name one file to write\n\n${HELP}`);
    return 2;
  }
  const config = loadConfig(deps.env ?? process.env);
  if (config.MONGODB_URI) {
    io.stderr.write('kefu backup: the store is MongoDB (MONGODB_URI is set); back it up with mongodump (and keep KEFU_ENCRYPTION_KEY with it).\n');
    return 2;
  }
  try {
    const summary = backupSqlite(join(config.DATA_DIR, 'kefu.db'), file, { overwrite: values.force === true });
    if (values.json) io.stdout.write(`${JSON.stringify(summary)}\n`);
    else {
      const rows = Object.entries(summary.rows).map(([table, n]) => `${table.replace(/^kefu_/, '')} ${n}`);
      io.stdout.write(`backup OK: ${summary.path} (${summary.bytes} bytes, ${summary.ms} ms; integrity check ok)\n  ${rows.join(', ')}\n`);
    }
    return 0;
  } catch (err) {
    io.stderr.write(`kefu backup: ${isKefuError(err) ? `${err.code}: ` : ''}${err instanceof Error ? err.message : String(err)}\n`);
    return isKefuError(err, 'KEFU_ERR_CONFIG_INVALID') ? 2 : 1;
  }
}

/** `kefu keys status|rotate`: which keys seal the data at rest, and re-encrypting it all with the current key. */
import { parseArgs } from 'node:util';
import { type Config, isKefuError, loadConfig, type Repositories, silentLogger } from '../../core';
import { buildData, markRotated } from '../../server/build-data';
import { openSealedStore } from '../../server/sealed-tables';
import { createKeyring, keyId } from '../../stores/encrypted/cipher';
import { countKeyIds, rotateSealedTables, type TableCounts } from '../../stores/encrypted/rotate';
import type { CommandIo } from './train';

const HELP = `usage: kefu keys status [--json]
       kefu keys rotate [--batch N] [--json]

status  counts, per table, the records sealed by each key id (the current key, the old keys of
        KEFU_ENCRYPTION_OLD_KEYS, or a key that is not configured). Nothing is decrypted.
rotate  seals every record still under an old key again with KEFU_ENCRYPTION_KEY, table by table,
        in batches (--batch, default 500), and writes the encryption check again. Safe while the
        server runs (a record written meanwhile is left as written); stopped half-way, run it again:
        records already under the current key are skipped. Exits with 1 if records remain under an
        old key (a process still writing with it?), else says KEFU_ENCRYPTION_OLD_KEYS can go.

To change keys: set the new key as KEFU_ENCRYPTION_KEY and the old one in KEFU_ENCRYPTION_OLD_KEYS,
restart every kefu process, run \`kefu keys rotate\`, then remove KEFU_ENCRYPTION_OLD_KEYS and restart.
Reads the store the server uses (DATA_DIR or MONGODB_URI).
  --json   machine-readable output
  --help   this text
`;

export interface KeysCommandDeps {
  env?: Record<string, string | undefined>;
}

type Parsed = { values: { batch?: string; json?: boolean; help?: boolean }; positionals: string[] };

function parse(argv: string[]): Parsed | string {
  try {
    return parseArgs({ args: argv, allowPositionals: true, options: { batch: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' } } });
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

export async function run(argv: string[], io: CommandIo = { stdout: process.stdout, stderr: process.stderr }, deps: KeysCommandDeps = {}): Promise<number> {
  const parsed = parse(argv);
  if (typeof parsed === 'string') return usageError(io, parsed);
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const sub = positionals[0];
  if (sub !== 'status' && sub !== 'rotate') return usageError(io, sub ? `unknown subcommand "${sub}"` : 'say status or rotate');
  const batch = values.batch === undefined ? 500 : Number(values.batch);
  if (!Number.isInteger(batch) || batch < 1 || batch > 10_000) return usageError(io, `--batch must be an integer 1..10000 (got "${values.batch}")`);
  const config = loadConfig(deps.env ?? process.env);
  if (!config.KEFU_ENCRYPTION_KEY) {
    io.stderr.write('kefu keys: KEFU_ENCRYPTION_KEY is not set: the data is not encrypted, there are no keys to rotate.\n');
    return 2;
  }
  const { data } = await buildData(config, silentLogger);
  try {
    return sub === 'status' ? await status(config, data, values.json === true, io) : await rotate(config, data, batch, values.json === true, io);
  } catch (err) {
    if (!isKefuError(err)) throw err;
    io.stderr.write(`kefu keys: ${err.code}: ${err.message}\n`);
    return 1;
  } finally {
    await data.close();
  }
}

function usageError(io: CommandIo, message: string): number {
  io.stderr.write(`kefu keys: ${message}\n\n${HELP}`);
  return 2;
}

function ringOf(config: Readonly<Config>) {
  return createKeyring(
    Buffer.from(config.KEFU_ENCRYPTION_KEY as string, 'hex'),
    config.KEFU_ENCRYPTION_OLD_KEYS.map((k) => Buffer.from(k, 'hex')),
  );
}

function labelFor(config: Readonly<Config>): (id: string) => string {
  const old = new Set(config.KEFU_ENCRYPTION_OLD_KEYS.map((k) => keyId(Buffer.from(k, 'hex'))));
  const current = keyId(Buffer.from(config.KEFU_ENCRYPTION_KEY as string, 'hex'));
  return (id) => (id === current ? `${id} (current)` : id === 'plain' ? 'plain' : old.has(id) ? `${id} (old)` : `${id} (not configured)`);
}

async function status(config: Readonly<Config>, data: Repositories, json: boolean, io: CommandIo): Promise<number> {
  const store = await openSealedStore(config, data);
  try {
    const counts = await countKeyIds(store.tables);
    if (json) io.stdout.write(`${JSON.stringify({ current: ringOf(config).currentId, tables: counts })}\n`);
    else {
      const label = labelFor(config);
      for (const t of counts) {
        const parts = Object.entries(t.byKeyId).map(([id, n]) => `${n} ${label(id)}`);
        io.stdout.write(`${t.table.padEnd(14)}${parts.length ? parts.join(', ') : 'empty'}\n`);
      }
    }
    return 0;
  } finally {
    await store.close();
  }
}

function countsLine(c: Readonly<TableCounts>): string {
  const extra = [c.raced ? `${c.raced} changed meanwhile (left as written)` : '', c.plain ? `${c.plain} not encrypted` : ''].filter(Boolean);
  return `${c.table.padEnd(14)}${c.rewritten} re-encrypted, ${c.current} already current (${c.scanned} read)${extra.length ? `; ${extra.join(', ')}` : ''}`;
}

async function rotate(config: Readonly<Config>, data: Repositories, batch: number, json: boolean, io: CommandIo): Promise<number> {
  const ring = ringOf(config);
  const store = await openSealedStore(config, data);
  try {
    if (!json) io.stdout.write(`re-encrypting with key ${ring.currentId}, ${batch} records a batch\n`);
    const counts = await rotateSealedTables(store.tables, ring, { batchSize: batch, ...(json ? {} : { onBatch: (c) => io.stdout.write(`  ${countsLine(c)}\n`) }) });
    await markRotated(data, new Date());
    const left = (await countKeyIds(store.tables)).reduce(
      (n, t) =>
        n +
        Object.entries(t.byKeyId)
          .filter(([id]) => id !== ring.currentId && id !== 'plain')
          .reduce((m, [, c]) => m + c, 0),
      0,
    );
    if (json) io.stdout.write(`${JSON.stringify({ current: ring.currentId, tables: counts, remainingUnderOldKeys: left })}\n`);
    else {
      for (const c of counts) io.stdout.write(`${countsLine(c)}\n`);
      io.stdout.write(
        left
          ? `${left} records are still under an old key (written meanwhile by a process with an old KEFU_ENCRYPTION_KEY?): restart every process with the new key, then run kefu keys rotate again.\n`
          : 'every record is under the current key: KEFU_ENCRYPTION_OLD_KEYS can be removed.\n',
      );
    }
    return left ? 1 : 0;
  } finally {
    await store.close();
  }
}

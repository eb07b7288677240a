/**
 * Opens the data from config: MongoDB when MONGODB_URI is set, else the embedded SQLite file; sealed
 * with KEFU_ENCRYPTION_KEY when set (records sealed with one of KEFU_ENCRYPTION_OLD_KEYS still open).
 */
import { join } from 'node:path';
import { type Config, type CorruptRow, type DataOptions, isKefuError, KefuError, type Logger, type Repositories } from '../core';
import { createAesCodec } from '../stores/encrypted/codec';
import { createSqliteData } from '../stores/sqlite';

export async function buildData(config: Readonly<Config>, log: Logger, extra: Pick<DataOptions, 'now'> = {}): Promise<{ data: Repositories; kind: string }> {
  const opts: DataOptions = {
    sessionTtlSeconds: config.SESSION_TTL_DAYS * 86_400,
    onCorrupt: (row: CorruptRow) => log.error({ code: row.code, table: row.table, id: row.id }, 'corrupt row skipped; inspect or restore it'),
    ...codecFor(config),
    ...extra,
  };
  const data = config.MONGODB_URI
    ? await openMongo(config.MONGODB_URI, opts)
    : // A write waits at most 1 s for another writer's lock per attempt, so a locked file answers 503 in about 5 s (4 attempts).
      createSqliteData(
        { path: join(config.DATA_DIR, 'kefu.db') },
        { ...opts, busyTimeoutMs: 1000, checkpoints: 'worker', onCheckpointFallback: (why) => log.warn({ why }, 'SQLite WAL checkpoints run in the commits again') },
      );
  await checkEncryptionKey(data, Boolean(config.KEFU_ENCRYPTION_KEY));
  log.info(
    { store: data.kind, encrypted: Boolean(config.KEFU_ENCRYPTION_KEY) },
    config.KEFU_ENCRYPTION_KEY ? 'data store ready' : 'data store ready (set KEFU_ENCRYPTION_KEY to encrypt at rest)',
  );
  return { data, kind: data.kind };
}

/**
 * MongoDB through mongoose, loaded only when MONGODB_URI is set (about a third of a second of
 * start-up otherwise). require, not import(): kefu's modules are CommonJS (see wire-slack.ts).
 */
async function openMongo(uri: string, opts: DataOptions): Promise<Repositories> {
  const { connectMongo, createMongoData }: typeof import('../stores/mongo') = require('../stores/mongo');
  return createMongoData(await connectMongo(uri), { ...opts, ownsConnection: true });
}

/** The codec sealing with KEFU_ENCRYPTION_KEY and opening with it or any of KEFU_ENCRYPTION_OLD_KEYS. */
function codecFor(config: Readonly<Config>): Pick<DataOptions, 'codec'> {
  if (!config.KEFU_ENCRYPTION_KEY) {
    if (config.KEFU_ENCRYPTION_OLD_KEYS.length) {
      throw new KefuError(
        'KEFU_ERR_CONFIG_INVALID',
        'KEFU_ENCRYPTION_OLD_KEYS is set without KEFU_ENCRYPTION_KEY: old keys only open records next to a current key; set KEFU_ENCRYPTION_KEY too.',
      );
    }
    return {};
  }
  const old = config.KEFU_ENCRYPTION_OLD_KEYS.map((k) => Buffer.from(k, 'hex'));
  return { codec: createAesCodec(Buffer.from(config.KEFU_ENCRYPTION_KEY, 'hex'), old) };
}

/** The meta record that says whether the data is encrypted (sealed itself, so it also proves the key). */
export const KEY_CHECK = 'encryption-check';

/** After `kefu keys rotate`: the check record is written again, under the current key, with when it was rotated. */
export async function markRotated(data: Repositories, at: Date): Promise<void> {
  const found = await data.meta.get<{ encrypted: boolean; since?: string }>(KEY_CHECK);
  await data.meta.put(KEY_CHECK, { encrypted: true, since: found?.value.since ?? at.toISOString(), rotatedAt: at.toISOString() }, found?.version ?? 0);
}

/**
 * The data remembers whether (and, through the seal, with which key) it is encrypted: a start with
 * another key, without the key, or with a key over plain data stops here with one clear error,
 * instead of every login and turn failing later with KEFU_ERR_STORE_DECRYPT_FAILED.
 */
async function checkEncryptionKey(data: Repositories, encrypted: boolean): Promise<void> {
  try {
    const found = await data.meta.get<{ encrypted: boolean }>(KEY_CHECK);
    if (found && found.value.encrypted !== encrypted) throw new Error(`it was written ${found.value.encrypted ? 'with' : 'without'} KEFU_ENCRYPTION_KEY`);
    if (!found) await data.meta.put(KEY_CHECK, { encrypted, since: new Date().toISOString() }, 0);
  } catch (err) {
    await data.close();
    const why = isKefuError(err, 'KEFU_ERR_STORE_DECRYPT_FAILED') ? 'its records do not open with KEFU_ENCRYPTION_KEY nor any of KEFU_ENCRYPTION_OLD_KEYS' : (err as Error).message;
    throw new KefuError(
      'KEFU_ERR_STORE_DECRYPT_FAILED',
      `The data in ${data.kind} cannot be used with this configuration: ${why}. Start with the KEFU_ENCRYPTION_KEY it was written with (or none, if it was written without); to change keys, set the new one as KEFU_ENCRYPTION_KEY and the old one in KEFU_ENCRYPTION_OLD_KEYS, then run \`kefu keys rotate\` (docs/stores.md).`,
      { cause: err },
    );
  }
}

/** Opens the data from config: MongoDB when MONGODB_URI is set, else the embedded SQLite file; sealed with KEFU_ENCRYPTION_KEY when set. */
import { join } from 'node:path';
import { type Config, type CorruptRow, type DataOptions, KefuError, type Logger, type Repositories } from '../core';
import { createAesCodec } from '../stores/encrypted/codec';
import { createSqliteData } from '../stores/sqlite';

export async function buildData(config: Readonly<Config>, log: Logger, extra: Pick<DataOptions, 'now'> = {}): Promise<{ data: Repositories; kind: string }> {
  const opts: DataOptions = {
    sessionTtlSeconds: config.SESSION_TTL_DAYS * 86_400,
    onCorrupt: (row: CorruptRow) => log.error({ code: row.code, table: row.table, id: row.id }, 'corrupt row skipped; inspect or restore it'),
    ...(config.KEFU_ENCRYPTION_KEY ? { codec: createAesCodec(Buffer.from(config.KEFU_ENCRYPTION_KEY, 'hex')) } : {}),
    ...extra,
  };
  if (config.MONGODB_URI) {
    // Wired in the next slice (stores/mongo on the repositories); never fall back to SQLite silently.
    throw new KefuError(
      'KEFU_ERR_STORE_UNAVAILABLE',
      'MONGODB_URI is set, but this build has no MongoDB backend for the repositories yet; unset MONGODB_URI to use the embedded SQLite store.',
    );
  }
  const data = createSqliteData({ path: join(config.DATA_DIR, 'kefu.db') }, opts);
  log.info(
    { store: data.kind, encrypted: Boolean(config.KEFU_ENCRYPTION_KEY) },
    config.KEFU_ENCRYPTION_KEY ? 'data store ready' : 'data store ready (set KEFU_ENCRYPTION_KEY to encrypt at rest)',
  );
  return { data, kind: data.kind };
}

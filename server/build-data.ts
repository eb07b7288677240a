/** Opens the data from config: MongoDB when MONGODB_URI is set, else the embedded SQLite file; sealed with KEFU_ENCRYPTION_KEY when set. */
import { join } from 'node:path';
import type { Config, CorruptRow, DataOptions, Logger, Repositories } from '../core';
import { createAesCodec } from '../stores/encrypted/codec';
import { connectMongo, createMongoData } from '../stores/mongo';
import { createSqliteData } from '../stores/sqlite';

export async function buildData(config: Readonly<Config>, log: Logger, extra: Pick<DataOptions, 'now'> = {}): Promise<{ data: Repositories; kind: string }> {
  const opts: DataOptions = {
    sessionTtlSeconds: config.SESSION_TTL_DAYS * 86_400,
    onCorrupt: (row: CorruptRow) => log.error({ code: row.code, table: row.table, id: row.id }, 'corrupt row skipped; inspect or restore it'),
    ...(config.KEFU_ENCRYPTION_KEY ? { codec: createAesCodec(Buffer.from(config.KEFU_ENCRYPTION_KEY, 'hex')) } : {}),
    ...extra,
  };
  const data = config.MONGODB_URI
    ? await createMongoData(await connectMongo(config.MONGODB_URI), { ...opts, ownsConnection: true })
    : // A write waits at most 1 s for another writer's lock per attempt, so a locked file answers 503 in about 5 s (4 attempts).
      createSqliteData({ path: join(config.DATA_DIR, 'kefu.db') }, { ...opts, busyTimeoutMs: 1000 });
  log.info(
    { store: data.kind, encrypted: Boolean(config.KEFU_ENCRYPTION_KEY) },
    config.KEFU_ENCRYPTION_KEY ? 'data store ready' : 'data store ready (set KEFU_ENCRYPTION_KEY to encrypt at rest)',
  );
  return { data, kind: data.kind };
}

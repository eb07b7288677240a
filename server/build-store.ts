/** Picks the session store from config: MongoDB when MONGODB_URI is set, else embedded SQLite. */
import { join } from 'node:path';
import type { Config, Logger, SessionState, SessionStore } from '../core';
import { createEncryptedStore } from '../stores/encrypted';
import { connectMongo, createMongoStore } from '../stores/mongo';
import { createSqliteStore } from '../stores/sqlite';

export async function buildStore(config: Readonly<Config>, log: Logger): Promise<{ store: SessionStore<SessionState>; kind: string }> {
  const ttlSeconds = config.SESSION_TTL_DAYS * 86_400;
  let raw: SessionStore<unknown>;
  let kind: string;
  if (config.MONGODB_URI) {
    const connection = await connectMongo(config.MONGODB_URI);
    raw = createMongoStore({ connection, ownsConnection: true }, { ttlSeconds });
    kind = 'mongodb';
  } else {
    const path = join(config.DATA_DIR, 'kefu.db');
    raw = createSqliteStore({ path }, { ttlSeconds });
    kind = 'sqlite';
  }
  if (config.KEFU_ENCRYPTION_KEY) {
    const store = createEncryptedStore<SessionState>(raw as SessionStore<string>, Buffer.from(config.KEFU_ENCRYPTION_KEY, 'hex'));
    log.info({ store: kind, encrypted: true }, 'session store ready');
    return { store, kind };
  }
  log.info({ store: kind, encrypted: false }, 'session store ready (set KEFU_ENCRYPTION_KEY to encrypt at rest)');
  return { store: raw as SessionStore<SessionState>, kind };
}

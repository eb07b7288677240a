/** Picks the session store from config: MongoDB when MONGODB_URI is set, else embedded SQLite. */
import { join } from 'node:path';
import type { Config, Logger, SessionState, SessionStore } from '../core';
import { createEncryptedStore } from '../stores/encrypted';
import { connectMongo, createMongoStore } from '../stores/mongo';
import { createSqliteStore } from '../stores/sqlite';

/**
 * Records that must outlive idle sessions: the audit chain (a gap would read as tampering),
 * analytics, the learning inbox, escalations, tickets and undelivered agent replies. Only
 * conversation sessions (`<channel>:<id>`) expire after SESSION_TTL_DAYS.
 */
export const DURABLE_PREFIXES = ['audit:', 'audit-meta:', 'analytics:', 'analytics-inbox:', 'handoff:', 'handoff-done:', 'handoff-meta:', 'handoff-agent:', 'handoff-outbox:', 'ticket:'] as const;

export async function buildStore(config: Readonly<Config>, log: Logger): Promise<{ store: SessionStore<SessionState>; kind: string }> {
  const ttl = { ttlSeconds: config.SESSION_TTL_DAYS * 86_400, keepPrefixes: DURABLE_PREFIXES };
  let raw: SessionStore<unknown>;
  let kind: string;
  if (config.MONGODB_URI) {
    const connection = await connectMongo(config.MONGODB_URI);
    raw = createMongoStore({ connection, ownsConnection: true }, ttl);
    kind = 'mongodb';
  } else {
    const path = join(config.DATA_DIR, 'kefu.db');
    raw = createSqliteStore({ path }, ttl);
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

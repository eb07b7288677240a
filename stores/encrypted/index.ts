/**
 * Encryption at rest around any string store: each value is encrypted with AES-256-GCM (random
 * 12-byte IV, auth tag, key id), keys and versions stay readable so CAS, list and TTL work as before.
 * A value that does not decrypt gives KEFU_ERR_STORE_DECRYPT_FAILED, never garbage.
 * @example
 * const store = createEncryptedStore<SessionState>(createSqliteStore<string>({ path }), Buffer.from(hex, 'hex'));
 */
import { decodeStoredValue, encodeStoredValue, KefuError, type SessionStore, type Versioned } from '../../core';
import { createKeyring, decrypt, encrypt } from './cipher';

export { keyId } from './cipher';

export interface EncryptedStoreOptions {
  /** Older keys that may still have written some values: read with them, never written with them. */
  previousKeys?: readonly Buffer[];
}

export function createEncryptedStore<S>(inner: SessionStore<string>, key: Buffer, opts: EncryptedStoreOptions = {}): SessionStore<S> {
  const ring = createKeyring(key, opts.previousKeys);
  let closed = false;
  const check = () => {
    if (closed) throw new KefuError('KEFU_ERR_STORE_CLOSED', 'Encrypted store was used after close(); create a new store.');
  };
  const open = <T>(recordKey: string, row: Versioned<string>): Versioned<T> => ({
    value: decodeStoredValue<T>(recordKey, decrypt(ring, recordKey, row.value)),
    version: row.version,
  });

  return {
    async read(recordKey) {
      check();
      const row = await inner.read(recordKey);
      return row && open<S>(recordKey, row);
    },
    async write(recordKey, value, expectedVersion) {
      check();
      return inner.write(recordKey, encrypt(ring, recordKey, encodeStoredValue(recordKey, value)), expectedVersion);
    },
    async delete(recordKey) {
      check();
      await inner.delete(recordKey);
    },
    async list(prefix, limit) {
      check();
      const rows = await inner.list(prefix, limit);
      return rows.map((row) => ({ key: row.key, ...open<S>(row.key, row) }));
    },
    async close() {
      closed = true;
      await inner.close();
    },
  };
}

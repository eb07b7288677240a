/**
 * Encryption at rest as a value codec: every record body a backend stores is sealed with
 * AES-256-GCM under the record's name (see cipher.ts); keys, states and times stay readable so
 * indexes work. Older keys in `previous` still open what they sealed (key rotation).
 * @example
 * const data = createSqliteData({ path }, { codec: createAesCodec(Buffer.from(process.env.KEFU_ENCRYPTION_KEY, 'hex')) });
 */
import type { ValueCodec } from '../../core';
import { createKeyring, decrypt, encrypt } from './cipher';

export function createAesCodec(key: Buffer, previous: readonly Buffer[] = []): ValueCodec {
  const ring = createKeyring(key, previous);
  return {
    name: `aes-256-gcm:${ring.currentId}`,
    seal: (aad, json) => encrypt(ring, aad, json),
    open: (aad, stored) => decrypt(ring, aad, stored),
  };
}

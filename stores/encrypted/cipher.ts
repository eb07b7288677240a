/**
 * AES-256-GCM for one stored value. Format: `kefu:v1:<keyId>:<iv>:<tag>:<ciphertext>` (base64url),
 * so a reader knows which key wrote it and keys can rotate. The header and the record key are
 * authenticated too, so a ciphertext moved to another record does not decrypt.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { KefuError } from '../../core';

const PREFIX = 'kefu:v1:';
const FORMAT = /^kefu:v1:([0-9a-f]{8}):([A-Za-z0-9_-]{16}):([A-Za-z0-9_-]{22}):([A-Za-z0-9_-]*)$/;

export interface Keyring {
  currentId: string;
  current: Buffer;
  byId: ReadonlyMap<string, Buffer>;
}

/** A short public id for a key: 8 hex characters of an HMAC of a fixed label, not of any data. */
export function keyId(key: Buffer): string {
  return createHmac('sha256', key).update('kefu session key id').digest('hex').slice(0, 8);
}

export function createKeyring(key: Buffer, previous: readonly Buffer[] = []): Keyring {
  const byId = new Map<string, Buffer>();
  for (const k of [...previous, key]) byId.set(keyId(checkKey(k)), k);
  return { currentId: keyId(key), current: key, byId };
}

function checkKey(key: unknown): Buffer {
  if (!Buffer.isBuffer(key) || key.length !== 32) {
    const got = Buffer.isBuffer(key) ? `${key.length} bytes` : typeof key;
    throw new KefuError(
      'KEFU_ERR_STORE_OPTIONS_INVALID',
      `Encryption key must be a 32-byte Buffer (got ${got}); KEFU_ENCRYPTION_KEY takes 64 hex characters, e.g. from \`openssl rand -hex 32\`.`,
    );
  }
  return key;
}

export function encrypt(ring: Keyring, recordKey: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', ring.current, iv);
  cipher.setAAD(aad(ring.currentId, recordKey));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return `${PREFIX}${ring.currentId}:${b64(iv)}:${b64(cipher.getAuthTag())}:${b64(body)}`;
}

export function decrypt(ring: Keyring, recordKey: string, stored: unknown): string {
  const parts = typeof stored === 'string' ? FORMAT.exec(stored) : null;
  if (!parts) throw failed(recordKey, 'is not a kefu-encrypted value (was it written before encryption was enabled?)');
  const [, id = '', iv = '', tag = '', body = ''] = parts;
  const key = ring.byId.get(id);
  if (!key) {
    throw failed(
      recordKey,
      'was sealed with a key that is neither KEFU_ENCRYPTION_KEY nor in KEFU_ENCRYPTION_OLD_KEYS; add that key to KEFU_ENCRYPTION_OLD_KEYS',
      undefined,
      `sealed with key id ${id}; configured key ids: ${[...ring.byId.keys()].join(', ')}`,
    );
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(aad(id, recordKey));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  } catch (err) {
    throw failed(recordKey, 'failed authentication: it was altered in the database or copied from another record', err, `key id ${id}`);
  }
}

/** The id of the key a stored value was sealed with, or undefined when it is not a kefu-sealed value. */
export function sealedKeyId(stored: unknown): string | undefined {
  return typeof stored === 'string' ? FORMAT.exec(stored)?.[1] : undefined;
}

/** The same value sealed again with the ring's current key (opened with whichever configured key sealed it). */
export function reseal(ring: Keyring, recordKey: string, stored: string): string {
  return encrypt(ring, recordKey, decrypt(ring, recordKey, stored));
}

function aad(id: string, recordKey: string): Buffer {
  return Buffer.from(`${PREFIX}${id}:${recordKey}`, 'utf8');
}

function b64(buf: Buffer): string {
  return buf.toString('base64url');
}

/**
 * The coded error names the kind of record and what to do, never key ids nor the record's id (a
 * conversation id): its message may reach an answer. Those are in `cause`, for the log.
 */
function failed(recordKey: string, why: string, cause?: unknown, internal?: string): KefuError {
  const table = /^([a-z_-]{1,32})\//.exec(recordKey)?.[1];
  const detail = new Error(`record "${recordKey}"${internal ? ` (${internal})` : ''}`, cause === undefined ? undefined : { cause });
  return new KefuError('KEFU_ERR_STORE_DECRYPT_FAILED', `A stored ${table ? `${table} ` : ''}record ${why}. It was not returned.`, { cause: detail });
}

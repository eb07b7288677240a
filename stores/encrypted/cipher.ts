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
      `was encrypted with key id ${id}, which is not configured (the current key id is ${ring.currentId}); set KEFU_ENCRYPTION_KEY to that key, or pass it in previousKeys`,
    );
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAAD(aad(id, recordKey));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  } catch (err) {
    throw failed(recordKey, 'failed authentication: it was altered in the database or copied from another key', err);
  }
}

function aad(id: string, recordKey: string): Buffer {
  return Buffer.from(`${PREFIX}${id}:${recordKey}`, 'utf8');
}

function b64(buf: Buffer): string {
  return buf.toString('base64url');
}

function failed(recordKey: string, why: string, cause?: unknown): KefuError {
  return new KefuError('KEFU_ERR_STORE_DECRYPT_FAILED', `Stored value of key "${recordKey}" ${why}. It was not returned; delete the key to start afresh.`, { cause });
}

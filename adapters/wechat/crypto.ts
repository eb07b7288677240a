/**
 * WeChat's message crypto ("安全模式", WXBizMsgCrypt), as documented for Official Accounts and WeCom:
 * AES-256-CBC, key = base64(EncodingAESKey + '='), IV = the key's first 16 bytes, PKCS#7 padding to
 * 32-byte blocks, plaintext = 16 random bytes + 4-byte big-endian length + message + appId.
 * Pure functions; the random bytes are injectable so tests can pin them.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { KefuError } from '../../core';

const BLOCK = 32;

export interface WechatCipher {
  encrypt(message: string, random?: Buffer): string;
  /** Returns the message; throws KEFU_ERR_ADAPTER_DECRYPT when the data or its appId is wrong. */
  decrypt(encrypted: string): string;
}

/** sha1 of the lexicographically sorted parts, hex: WeChat's `signature` and `msg_signature`. */
export function wechatSignature(...parts: string[]): string {
  return createHash('sha1')
    .update([...parts].sort().join(''))
    .digest('hex');
}

export function aesKeyFrom(encodingAESKey: string): Buffer {
  if (!/^[A-Za-z0-9]{43}$/.test(encodingAESKey)) {
    throw new KefuError('KEFU_ERR_CONFIG_INVALID', 'WECHAT_ENCODING_AES_KEY must be the 43-character EncodingAESKey from the WeChat console (letters and digits).');
  }
  return Buffer.from(`${encodingAESKey}=`, 'base64');
}

/** `appId` is the Official Account AppID (WeCom: the CorpID); decrypted messages must end with it. */
export function createWechatCipher(encodingAESKey: string, appId: string): WechatCipher {
  const key = aesKeyFrom(encodingAESKey);
  const iv = key.subarray(0, 16);
  return {
    encrypt(message, random = randomBytes(16)) {
      const body = Buffer.from(message, 'utf8');
      const length = Buffer.alloc(4);
      length.writeUInt32BE(body.length, 0);
      const plain = pad(Buffer.concat([random.subarray(0, 16), length, body, Buffer.from(appId, 'utf8')]));
      const cipher = createCipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
      return Buffer.concat([cipher.update(plain), cipher.final()]).toString('base64');
    },
    decrypt(encrypted) {
      const data = Buffer.from(encrypted, 'base64');
      if (data.length === 0 || data.length % BLOCK !== 0) throw decryptError(`the ciphertext is ${data.length} bytes, not a positive multiple of ${BLOCK}`);
      let plain: Buffer;
      try {
        const decipher = createDecipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
        plain = unpad(Buffer.concat([decipher.update(data), decipher.final()]));
      } catch (err) {
        throw decryptError((err as Error).message, err);
      }
      if (plain.length < 20) throw decryptError('the plaintext is too short');
      const size = plain.readUInt32BE(16);
      if (20 + size > plain.length) throw decryptError('the length prefix exceeds the plaintext');
      const receivedAppId = plain.subarray(20 + size).toString('utf8');
      if (receivedAppId !== appId) throw decryptError('the message was encrypted for another AppID/CorpID');
      return plain.subarray(20, 20 + size).toString('utf8');
    },
  };
}

function pad(data: Buffer): Buffer {
  const n = BLOCK - (data.length % BLOCK);
  return Buffer.concat([data, Buffer.alloc(n, n)]);
}

function unpad(data: Buffer): Buffer {
  const n = data[data.length - 1] ?? 0;
  if (n < 1 || n > BLOCK || n > data.length) throw new Error('bad PKCS#7 padding');
  for (let i = data.length - n; i < data.length; i++) if (data[i] !== n) throw new Error('bad PKCS#7 padding');
  return data.subarray(0, data.length - n);
}

function decryptError(why: string, cause?: unknown): KefuError {
  return new KefuError(
    'KEFU_ERR_ADAPTER_DECRYPT',
    `A WeChat encrypted payload could not be decrypted (${why}). Check that WECHAT_ENCODING_AES_KEY and WECHAT_APP_ID match the console.`,
    cause === undefined ? {} : { cause },
  );
}

/** WeChat crypto, signatures and XML: unit tests, cross-checked against the test server's own implementation. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { aesKeyFrom, createWechatCipher, wechatSignature } from '../../adapters/wechat/crypto';
import { verifyCallback } from '../../adapters/wechat/verify';
import { buildWechatXml, parseWechatXml } from '../../adapters/wechat/xml';
import { isKefuError } from '../../core';
import { sha1Signature, wechatDecrypt, wechatEncrypt } from '../support/wechat-server';

const AES_KEY = 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG';
const APP_ID = 'wxb11529c136998cb6';
const secrets = { token: 'pamtest', appId: APP_ID, encodingAESKey: AES_KEY };
const coded = (code: string) => (err: unknown) => isKefuError(err) && err.code === code;

describe('wechat crypto', () => {
  const cipher = createWechatCipher(AES_KEY, APP_ID);

  it('signs the lexicographically sorted parts with sha1', () => {
    const expected = createHash('sha1').update('1409304348pamtestxxxxxx').digest('hex');
    assert.equal(wechatSignature('pamtest', '1409304348', 'xxxxxx'), expected);
    assert.equal(wechatSignature('b', 'a', 'c'), wechatSignature('c', 'b', 'a'));
  });

  it('derives the 32-byte key from the 43-character EncodingAESKey', () => {
    assert.equal(aesKeyFrom(AES_KEY).length, 32);
    assert.throws(() => aesKeyFrom('too-short'), coded('KEFU_ERR_CONFIG_INVALID'));
  });

  it('round-trips with the independent implementation in both directions, Chinese text included', () => {
    for (const msg of ['<xml><Content><![CDATA[hi]]></Content></xml>', '你好，我的订单在哪里？', 'x'.repeat(1000)]) {
      assert.deepEqual(wechatDecrypt(secrets, cipher.encrypt(msg)), { message: msg, appId: APP_ID });
      assert.equal(cipher.decrypt(wechatEncrypt(secrets, msg)), msg);
    }
  });

  it('pads to 32-byte blocks, adding a whole block when the plaintext already fills one', () => {
    const random = Buffer.alloc(16, 7);
    for (let len = 0; len < 70; len++) {
      const msg = 'a'.repeat(len);
      const bytes = Buffer.from(cipher.encrypt(msg, random), 'base64');
      const plain = 16 + 4 + len + APP_ID.length;
      assert.equal(bytes.length, (Math.floor(plain / 32) + 1) * 32, `message of ${len} bytes`);
      assert.equal(cipher.decrypt(bytes.toString('base64')), msg);
    }
  });

  it('refuses a message encrypted for another AppID', () => {
    const other = createWechatCipher(AES_KEY, 'wx0000000000000000');
    assert.throws(() => cipher.decrypt(other.encrypt('hello')), coded('KEFU_ERR_ADAPTER_DECRYPT'));
  });

  it('refuses altered, truncated or foreign-key ciphertext with a coded error', () => {
    const good = Buffer.from(cipher.encrypt('hello world'), 'base64');
    const altered = Buffer.from(good);
    altered[altered.length - 1] = (altered[altered.length - 1] ?? 0) ^ 0xff;
    const foreign = createWechatCipher('ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210abcdefg', APP_ID).encrypt('hello world');
    for (const bad of [altered.toString('base64'), good.subarray(0, 20).toString('base64'), '', 'not base64 at all!', foreign]) {
      assert.throws(() => cipher.decrypt(bad), coded('KEFU_ERR_ADAPTER_DECRYPT'), `input ${bad.slice(0, 16)}`);
    }
  });
});

describe('wechat verifyCallback', () => {
  const token = 'kefuToken';
  const ts = 1_700_000_000;
  const now = ts * 1000;
  const q = (extra: Record<string, string> = {}) => ({ timestamp: String(ts), nonce: '12345', signature: sha1Signature(token, String(ts), '12345'), ...extra });

  it('accepts a genuine plain-mode request', () => {
    assert.doesNotThrow(() => verifyCallback({ token, query: q(), now }));
  });

  it('refuses a wrong or missing signature', () => {
    assert.throws(() => verifyCallback({ token: 'other', query: q(), now }), coded('KEFU_ERR_ADAPTER_SIGNATURE'));
    assert.throws(() => verifyCallback({ token, query: q({ signature: 'f'.repeat(40) }), now }), coded('KEFU_ERR_ADAPTER_SIGNATURE'));
    assert.throws(() => verifyCallback({ token, query: q({ signature: 'short' }), now }), coded('KEFU_ERR_ADAPTER_SIGNATURE'));
    assert.throws(() => verifyCallback({ token, query: { timestamp: String(ts), nonce: '1' }, now }), coded('KEFU_ERR_ADAPTER_SIGNATURE'));
    assert.throws(() => verifyCallback({ token, query: { nonce: '1', signature: 'x' }, now }), coded('KEFU_ERR_ADAPTER_SIGNATURE'));
  });

  it('refuses stale and far-future timestamps with the injected clock, and accepts the edge', () => {
    assert.doesNotThrow(() => verifyCallback({ token, query: q(), now: now + 300_000 }));
    assert.throws(() => verifyCallback({ token, query: q(), now: now + 301_000 }), /300 s/);
    assert.throws(() => verifyCallback({ token, query: q(), now: now - 301_000 }), coded('KEFU_ERR_ADAPTER_SIGNATURE'));
    assert.doesNotThrow(() => verifyCallback({ token, query: q(), now: now + 3_000_000, maxAgeSeconds: 3600 }));
    assert.throws(() => verifyCallback({ token, query: q({ timestamp: 'yesterday' }), now }), /not a number/);
  });

  it('checks msg_signature over the ciphertext in safe mode', () => {
    const encrypted = 'ENCRYPTED-BODY';
    const msg_signature = sha1Signature(token, String(ts), '12345', encrypted);
    assert.doesNotThrow(() => verifyCallback({ token, query: q({ msg_signature }), encrypted, now }));
    assert.throws(() => verifyCallback({ token, query: q({ msg_signature }), encrypted: `${encrypted}x`, now }), /msg_signature does not match/);
    assert.throws(() => verifyCallback({ token, query: q(), encrypted, now }), /lacks msg_signature/);
  });
});

describe('wechat xml', () => {
  it('keeps every value a string, so 64-bit MsgIds stay exact', () => {
    const f = parseWechatXml('<xml><MsgId>6307487431425412345</MsgId><CreateTime>1348831860</CreateTime><Content><![CDATA[ 12 ]]></Content></xml>');
    assert.equal(f.MsgId, '6307487431425412345');
    assert.equal(f.CreateTime, '1348831860');
  });

  it('round-trips CDATA, including a "]]>" inside the text', () => {
    const xml = buildWechatXml({ Content: 'a ]]> b <c> & d', CreateTime: 12, Image: { MediaId: 'm1' } });
    assert.match(xml, /<CreateTime>12<\/CreateTime>/);
    const f = parseWechatXml(xml);
    assert.equal(f.Content, 'a ]]> b <c> & d');
    assert.deepEqual(f.Image, { MediaId: 'm1' });
  });

  it('refuses DTDs, malformed XML and documents without an <xml> root', () => {
    const bad = ['<!DOCTYPE x [<!ENTITY a "aaaa">]><xml><a>&a;</a></xml>', '<xml><a>1</b></xml>', 'just text', '<root><a>1</a></root>', '<xml>text</xml>'];
    for (const raw of bad) assert.throws(() => parseWechatXml(raw), coded('KEFU_ERR_ADAPTER_PAYLOAD'), raw);
  });
});

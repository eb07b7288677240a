import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryStore, type SessionStore } from '../../core';
import { createEncryptedStore, keyId } from '../../stores/encrypted';
import { createSqliteStore } from '../../stores/sqlite';
import { runStoreSuite } from './store-suite';
import { expectCode, expectCodeSync } from './suite-helpers';

const SECRET = { orderNo: '987654321', text: '我的手机号是 13800138000' };

describe('encrypted store', () => {
  let dir: string;
  let n = 0;
  const key = randomBytes(32);
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'kefu-encrypted-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  runStoreSuite('encrypted(sqlite)', async (storeOpts) => {
    const path = join(dir, `suite-${++n}.db`);
    const open = async () => createEncryptedStore<unknown>(createSqliteStore<string>({ path }, storeOpts), key);
    return { store: await open(), reopen: open, another: open, cleanup: async () => {} };
  });

  describe('at rest', () => {
    let inner: SessionStore<string>;
    let store: SessionStore<typeof SECRET>;
    beforeEach(() => {
      inner = new MemoryStore<string>();
      store = createEncryptedStore(inner, key);
    });

    it('keeps keys and versions readable but no value text, and uses a new IV each time', async () => {
      await store.write('web:alice', SECRET, 0);
      await store.write('web:alice', SECRET, 1);
      const raw = await inner.read('web:alice');
      assert.equal(raw?.version, 2);
      assert.match(raw?.value ?? '', new RegExp(`^kefu:v1:${keyId(key)}:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]+$`));
      assert.doesNotMatch(raw?.value ?? '', /987654321|13800138000/);
      await store.write('web:bob', SECRET, 0);
      assert.notEqual((await inner.read('web:bob'))?.value.split(':')[5], raw?.value.split(':')[5]);
      assert.deepEqual(await store.list('web:'), [
        { key: 'web:alice', value: SECRET, version: 2 },
        { key: 'web:bob', value: SECRET, version: 1 },
      ]);
    });

    it('leaves no plaintext in the SQLite files', async () => {
      const path = join(dir, 'at-rest.db');
      const sqlite = createEncryptedStore(createSqliteStore<string>({ path }), key);
      await sqlite.write('wechat:u1', SECRET, 0);
      await sqlite.close();
      const bytes = Buffer.concat([path, `${path}-wal`].filter(existsSync).map((p) => readFileSync(p)));
      assert.ok(bytes.includes('wechat:u1'), 'the key is stored in clear (sanity check of the scan)');
      assert.ok(!bytes.includes('987654321') && !bytes.includes('13800138000'), 'the value must not be');
    });

    const tampers: Record<string, (raw: string, other: string) => string> = {
      'a flipped ciphertext byte': (raw) => flipIn(raw, 5),
      'a flipped IV byte': (raw) => flipIn(raw, 3),
      'a flipped auth tag byte': (raw) => flipIn(raw, 4),
      'a truncated ciphertext': (raw) => raw.slice(0, -4),
      'a ciphertext copied from another key': (_raw, other) => other,
      'plain JSON': () => JSON.stringify(SECRET),
      'an empty string': () => '',
    };
    for (const [what, tamper] of Object.entries(tampers)) {
      it(`refuses ${what} with KEFU_ERR_STORE_DECRYPT_FAILED and keeps the stored data`, async () => {
        await store.write('k', SECRET, 0);
        await store.write('other', SECRET, 0);
        const raw = (await inner.read('k'))?.value ?? '';
        const tampered = tamper(raw, (await inner.read('other'))?.value ?? '');
        assert.equal(await inner.write('k', tampered, 1), 'ok');
        const err = await expectCode(store.read('k'), 'KEFU_ERR_STORE_DECRYPT_FAILED');
        assert.match(err.message, /"k"/);
        assert.doesNotMatch(err.message, /987654321/);
        await expectCode(store.list(''), 'KEFU_ERR_STORE_DECRYPT_FAILED');
        assert.deepEqual(await inner.read('k'), { value: tampered, version: 2 }, 'nothing is deleted or rewritten');
        assert.equal(await store.write('k', SECRET, 2), 'ok', 'the key can be written afresh');
        assert.deepEqual(await store.read('k'), { value: SECRET, version: 3 });
      });
    }

    it('refuses a wrong key, naming both key ids, and reads again with the right one', async () => {
      await store.write('k', SECRET, 0);
      const other = randomBytes(32);
      const err = await expectCode(createEncryptedStore(inner, other).read('k'), 'KEFU_ERR_STORE_DECRYPT_FAILED');
      assert.ok(err.message.includes(keyId(key)) && err.message.includes(keyId(other)), err.message);
      assert.deepEqual(await createEncryptedStore(inner, key).read('k'), { value: SECRET, version: 1 });
    });

    it('rotates keys: old values read through previousKeys, new writes use the new key', async () => {
      await store.write('k', SECRET, 0);
      const next = randomBytes(32);
      const rotated = createEncryptedStore<typeof SECRET>(inner, next, { previousKeys: [key] });
      assert.deepEqual(await rotated.read('k'), { value: SECRET, version: 1 });
      await rotated.write('k', SECRET, 1);
      assert.ok((await inner.read('k'))?.value.startsWith(`kefu:v1:${keyId(next)}:`));
      await expectCode(store.read('k'), 'KEFU_ERR_STORE_DECRYPT_FAILED');
    });

    it('refuses a key that is not 32 bytes', () => {
      for (const bad of [randomBytes(16), Buffer.alloc(0), Buffer.from('00'.repeat(32))]) {
        const err = expectCodeSync(() => createEncryptedStore(inner, bad), 'KEFU_ERR_STORE_OPTIONS_INVALID');
        assert.match(err.message, /openssl rand -hex 32/);
      }
      expectCodeSync(() => createEncryptedStore(inner, key, { previousKeys: [randomBytes(31)] }), 'KEFU_ERR_STORE_OPTIONS_INVALID');
    });
  });
});

/** Flips one byte inside the n-th ':'-separated part of an encrypted value. */
function flipIn(raw: string, part: number): string {
  const parts = raw.split(':');
  const bytes = Buffer.from(parts[part] ?? '', 'base64url');
  bytes[0] = (bytes[0] ?? 0) ^ 0x01;
  parts[part] = bytes.toString('base64url');
  return parts.join(':');
}

/**
 * The conformance suite against a real MongoDB when MONGODB_URI is set (each store gets its own
 * temporary collection, dropped afterwards). Without it the suite is registered as pending and one
 * SKIPPED line says how to run it. The connection-failure checks need no server and always run.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import mongoose, { type Connection } from 'mongoose';
import { connectMongo, createMongoStore, escapeRegex } from '../../stores/mongo';
import { redactUri } from '../../stores/mongo/connect';
import { runStoreSuite } from './store-suite';
import { expectCode, expectCodeSync } from './suite-helpers';

const uri = process.env.MONGODB_URI;

describe('mongo store', () => {
  if (!uri) {
    console.log('SKIPPED mongo store suite: set MONGODB_URI=mongodb://127.0.0.1:27017/kefu_test to run it');
    describe.skip('store conformance: mongo (needs MONGODB_URI)', () => {
      it('runs the store conformance suite against MongoDB', () => {});
    });
  } else {
    const serverUri = uri;
    const connections: Connection[] = [];
    let n = 0;
    const connect = async () => {
      const c = await connectMongo(serverUri, { serverSelectionTimeoutMS: 5000 });
      connections.push(c);
      return c;
    };
    after(async () => {
      for (const c of connections.splice(0)) await c.close();
    });

    runStoreSuite('mongo', async (storeOpts) => {
      const connection = connections[0] ?? (await connect());
      const collection = `kefu_test_${process.pid}_${Date.now()}_${++n}`;
      return {
        store: createMongoStore({ connection, collection }, storeOpts),
        reopen: async () => createMongoStore({ connection: await connect(), collection, ownsConnection: true }, storeOpts),
        another: async () => createMongoStore({ connection: await connect(), collection, ownsConnection: true }, storeOpts),
        cleanup: async () => {
          await connection.dropCollection(collection).catch((err: unknown) => {
            if (!/ns not found/i.test(String(err))) throw err;
          });
          connection.deleteModel(`kefu_store:${collection}`);
        },
      };
    });

    it('creates the TTL index on expiresAt and the index on updatedAt', async () => {
      const connection = connections[0] ?? (await connect());
      const collection = `kefu_test_${process.pid}_${Date.now()}_idx`;
      const store = createMongoStore({ connection, collection }, { ttlSeconds: 60 });
      await store.write('k', 1, 0);
      const indexes = await connection.collection(collection).indexes();
      const ttl = indexes.find((i) => i.name === 'kefu_expires_at_ttl');
      assert.deepEqual(ttl?.key, { expiresAt: 1 });
      assert.equal(ttl?.expireAfterSeconds, 0);
      assert.deepEqual(indexes.find((i) => i.name === 'kefu_updated_at')?.key, { updatedAt: 1, _id: 1 });
      await store.close();
      await connection.dropCollection(collection);
      connection.deleteModel(`kefu_store:${collection}`);
    });
  }

  describe('without a server', () => {
    it('connectMongo gives KEFU_ERR_STORE_UNAVAILABLE, without the password, when nothing listens', async () => {
      const port = await closedPort();
      const err = await expectCode(
        connectMongo(`mongodb://kefu:s3cret-pw@127.0.0.1:${port}/kefu?directConnection=true`, { serverSelectionTimeoutMS: 300 }),
        'KEFU_ERR_STORE_UNAVAILABLE',
      );
      assert.match(err.message, /127\.0\.0\.1/);
      assert.match(err.message, /MONGODB_URI/);
      assert.doesNotMatch(err.message, /s3cret-pw/);
    });

    it('refuses a bad collection name and a bad list limit with KEFU_ERR_STORE_OPTIONS_INVALID', async () => {
      const connection = mongoose.createConnection();
      try {
        for (const bad of ['', 'has space', 'system.users', '$x', 'a'.repeat(200)]) {
          expectCodeSync(() => createMongoStore({ connection, collection: bad }), 'KEFU_ERR_STORE_OPTIONS_INVALID');
        }
        const store = createMongoStore({ connection, collection: 'kefu_unused' });
        await expectCode(store.list('', -1), 'KEFU_ERR_STORE_OPTIONS_INVALID');
        await expectCode(store.write('k', undefined, 0), 'KEFU_ERR_STORE_VALUE_INVALID');
        await store.close();
        await expectCode(store.read('k'), 'KEFU_ERR_STORE_CLOSED');
      } finally {
        await connection.close();
      }
    });

    it('escapes every regex character of a list prefix', () => {
      for (const prefix of ['a.b', 'x^$|()+?{}[]\\/-*', '会话:😀', '']) {
        const re = new RegExp(`^${escapeRegex(prefix)}`, 'u');
        assert.ok(re.test(`${prefix}tail`), prefix);
        assert.ok(prefix === '' || !re.test(`Z${prefix}`), prefix);
      }
      assert.ok(!new RegExp(`^${escapeRegex('a.b')}`).test('axb'));
    });

    it('redacts the password of a connection string', () => {
      assert.equal(redactUri('mongodb://u:p%40ss@h:1/db'), 'mongodb://u:***@h:1/db');
      assert.equal(redactUri('failed: mongodb+srv://user:pw@cluster.example/x'), 'failed: mongodb+srv://user:***@cluster.example/x');
      assert.equal(redactUri('mongodb://h:27017/db'), 'mongodb://h:27017/db');
    });
  });
});

/** A port on 127.0.0.1 that was just free: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  await new Promise<void>((r) => server.close(() => r()));
  assert.ok(address && typeof address === 'object');
  return address.port;
}

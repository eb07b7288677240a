/**
 * The data conformance suites on MongoDB: against the server at MONGODB_URI when set, else against
 * the in-process wire-protocol server (CongoDB, test/support/mongo-server.ts). Each opened store
 * gets its own collection prefix, so tests never see each other's data; `reopen` and `another`
 * open new connections on the same prefix, `corrupt` overwrites a stored body through a separate
 * admin connection. Then the MongoDB-only cases: a commit cut off between its two writes, a stale
 * active-handoff slot, the indexes, and error codes.
 */
import assert from 'node:assert/strict';
import type { Connection } from 'mongoose';
import type { DataOptions } from '../../core/data';
import { connectMongo, createMongoData, damageMongoRecord, dropMongoData, type MongoData } from '../../stores/mongo';
import { type MongoServerForTests, mongoForTests } from '../support/mongo-server';
import { expectCode } from '../stores/suite-helpers';
import { handoff, message, REF, session } from './fixtures';
import { runDataSuites } from './suite';

const real = Boolean(process.env.MONGODB_URI);
const name = `mongodb (${real ? 'real server' : 'wire server'})`;

/**
 * Cases the wire server cannot pass, with the reason (printed as SKIPPED). Empty: the store's
 * guarantees rest on single-document atomicity and conditional updates, which CongoDB has, not on
 * what it lacks (unique-index enforcement, transactions, TTL indexes).
 */
const WIRE_SERVER_SKIPS: Record<string, string> = {};

describe(`data store on ${name}`, function () {
  this.timeout(60_000);
  let server: MongoServerForTests | undefined;
  let admin: Connection | undefined;
  let stores = 0;

  const connect = (uri: string) => connectMongo(uri, { serverSelectionTimeoutMS: 5000, ...(real ? {} : { serverMonitoringMode: 'poll' as const }) });
  const adminConnection = () => {
    if (!admin) throw new Error('the admin connection is not open');
    return admin;
  };
  const serverUri = () => {
    if (!server) throw new Error('no MongoDB server');
    return server.uri;
  };
  /** A fresh collection prefix and a way to open stores on it. */
  const newStore = (opts: DataOptions) => {
    stores += 1;
    const collectionPrefix = `t${process.pid}_${Date.now().toString(36)}_${stores}_`;
    const open = async (): Promise<MongoData> => createMongoData(await connect(serverUri()), { ...opts, ownsConnection: true, collectionPrefix });
    return { collectionPrefix, open, drop: () => dropMongoData(adminConnection(), collectionPrefix) };
  };

  before(async function () {
    try {
      server = await mongoForTests();
    } catch (err) {
      // Only the wire server can fail to start here: a real server at MONGODB_URI fails at connect, below.
      console.log(`  SKIPPED every ${name} case: the in-process wire server (CongoDB) did not start (${err instanceof Error ? err.message : String(err)})`);
      this.skip();
    }
    admin = await connect(serverUri());
  });

  after(async () => {
    await admin?.close();
    await server?.stop();
  });

  runDataSuites(
    name,
    async (opts) => {
      const store = newStore(opts);
      return {
        data: await store.open(),
        reopen: store.open,
        another: store.open,
        corrupt: async (table, id) => {
          if (!(await damageMongoRecord(adminConnection(), table, id, '{"half a record', store.collectionPrefix))) throw new Error(`no ${table} record "${id}" to damage`);
        },
        cleanup: store.drop,
      };
    },
    { skip: real ? {} : WIRE_SERVER_SKIPS },
  );

  describe('MongoDB only', () => {
    const opened: MongoData[] = [];
    const drops: Array<() => Promise<void>> = [];
    const open = async () => {
      const store = newStore({});
      drops.push(store.drop);
      const data = await store.open();
      opened.push(data);
      return { data, prefix: store.collectionPrefix, reopen: async () => opened[opened.push(await store.open()) - 1] as MongoData };
    };
    const collection = (prefix: string, what: string) => adminConnection().db?.collection(`${prefix}${what}`) ?? assert.fail('admin connection has no db');
    afterEach(async () => {
      for (const d of opened.splice(0)) await d.close();
      for (const drop of drops.splice(0)) await drop();
    });

    it('a commit cut off before its messages were copied is finished by the next reader or commit, once', async () => {
      const { data, prefix, reopen } = await open();
      await data.commit({ key: 'web:cut', ref: REF, session: { value: session(), expectedVersion: 0 }, messages: [message({ text: 'a', deliver: true }), message({ text: 'b' })] });
      // Put the process's death between the two writes: the messages only in the conversation's `pending`.
      const rows = await collection(prefix, 'messages')
        .find({ key: 'web:cut' }, { projection: { _id: 0 }, sort: { seq: 1 } })
        .toArray();
      await collection(prefix, 'messages').deleteMany({ key: 'web:cut' });
      await collection(prefix, 'conversations').updateOne({ key: 'web:cut' }, { $set: { pending: rows, pendingAt: Date.now() } });
      await data.close();
      const again = await reopen();
      assert.deepEqual(await again.messages.dueLanes(Date.now() + 1000, 10), ['web:cut']);
      const pushed = await again.commit({ key: 'web:cut', ref: REF, messages: [message({ text: 'c' })] });
      assert.deepEqual(pushed.ok && pushed.messages.map((m) => m.seq), [3]);
      assert.deepEqual(
        (await again.messages.after('web:cut', 0, 10)).map((m) => [m.seq, m.text]),
        [
          [1, 'a'],
          [2, 'b'],
          [3, 'c'],
        ],
      );
      assert.equal(await collection(prefix, 'messages').countDocuments({ key: 'web:cut' }), 3, 'each message stored once');
      assert.equal((await collection(prefix, 'conversations').findOne({ key: 'web:cut' }))?.pendingAt, null);
    });

    it('an active-handoff slot left by a dead process is freed: at once when its record is finished, after the lease when it was never written', async () => {
      const { data, prefix } = await open();
      const conversations = collection(prefix, 'conversations');
      await data.handoffs.create(handoff({ id: 'h1', key: 'web:slot' }));
      await data.handoffs.update(handoff({ id: 'h1', key: 'web:slot', state: 'resolved' }), 1);
      await conversations.updateOne({ key: 'web:slot' }, { $set: { activeHandoff: 'h1', activeClaimedAt: Date.now() } });
      assert.equal(await data.handoffs.create(handoff({ id: 'h2', key: 'web:slot' })), 'ok', 'the holder h1 is resolved: the slot was stale');
      await data.handoffs.update(handoff({ id: 'h2', key: 'web:slot', state: 'cancelled' }), 1);
      await conversations.updateOne({ key: 'web:slot' }, { $set: { activeHandoff: 'ghost', activeClaimedAt: Date.now() } });
      assert.equal(await data.handoffs.create(handoff({ id: 'h3', key: 'web:slot' })), 'exists', 'a fresh claim may still be written by its creator');
      await conversations.updateOne({ key: 'web:slot' }, { $set: { activeClaimedAt: Date.now() - 60_000 } });
      assert.equal(await data.handoffs.create(handoff({ id: 'h3', key: 'web:slot' })), 'ok', 'the claim outlived its lease');
      assert.equal((await data.handoffs.active('web:slot'))?.value.id, 'h3');
    });

    it('creates the indexes the queries use, unique where a key is unique', async () => {
      const { prefix } = await open();
      const indexes = await collection(prefix, 'messages').indexes();
      const keySeq = indexes.find((i) => i.name === 'kefu_key_seq');
      assert.deepEqual([keySeq?.key, keySeq?.unique], [{ key: 1, seq: 1 }, true]);
      const queue = (await collection(prefix, 'handoffs').indexes()).find((i) => i.name === 'kefu_queue');
      assert.deepEqual(queue?.key, { state: 1, priority: -1, requestedAt: 1, id: 1 });
    });

    it('a connection closed under the store is KEFU_ERR_STORE_UNAVAILABLE; a bad prefix is KEFU_ERR_STORE_OPTIONS_INVALID', async () => {
      const connection = await connect(serverUri());
      const store = newStore({});
      drops.push(store.drop);
      const data = await createMongoData(connection, { collectionPrefix: store.collectionPrefix });
      await connection.close();
      await expectCode(data.sessions.read('web:gone'), 'KEFU_ERR_STORE_UNAVAILABLE');
      await data.close();
      await expectCode(createMongoData(adminConnection(), { collectionPrefix: 'bad prefix!' }), 'KEFU_ERR_STORE_OPTIONS_INVALID');
    });
  });
});

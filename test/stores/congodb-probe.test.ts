/**
 * What the test wire server (CongoDB, test/support/mongo-server.ts) does and does not do, checked
 * against it: the MongoDB store's tests prove only what it does. It runs every command atomically
 * (the store's commit and claims rest on that, as on a real server); it does not enforce unique
 * indexes nor roll back transactions (the store relies on neither), and it sorts strings in locale
 * order while comparing them in binary order (keyset paging over ids that mix cases or punctuation
 * is only proven on a real server). A case that starts failing means CongoDB changed: update
 * /work/shared/notes/mongodb-wire-server.md and the store's comments.
 */
import assert from 'node:assert/strict';
import type { Connection, mongo } from 'mongoose';
import { connectMongo } from '../../stores/mongo';
import { startMongoWireServer } from '../support/mongo-server';

describe('the test wire server (CongoDB)', function () {
  this.timeout(30_000);
  let server: { uri: string; stop(): Promise<void> } | undefined;
  const connections: Connection[] = [];
  let runs = 0;

  before(async function () {
    try {
      server = await startMongoWireServer();
    } catch (err) {
      console.log(`  SKIPPED the CongoDB probes: the wire server did not start (${err instanceof Error ? err.message : String(err)})`);
      this.skip();
    }
  });
  after(async () => {
    for (const c of connections.splice(0)) await c.close();
    await server?.stop();
  });

  /** A new connection's database. */
  async function database(): Promise<mongo.Db> {
    if (!server) throw new Error('no wire server');
    const connection = await connectMongo(server.uri, { serverMonitoringMode: 'poll' });
    connections.push(connection);
    return connection.db ?? assert.fail('no db');
  }

  /** A fresh collection on a new connection. */
  async function freshCollection(): Promise<mongo.Collection> {
    runs += 1;
    return (await database()).collection(`probe_${runs}`);
  }

  it('runs each command atomically: 50 racing conditional updates from 5 connections, one winner', async () => {
    const first = await freshCollection();
    await first.insertOne({ key: 'k', version: 0 });
    const others = await Promise.all(Array.from({ length: 4 }, database));
    const same = [first, ...others.map((db) => db.collection(first.collectionName))];
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => (same[i % 5] as mongo.Collection).updateOne({ key: 'k', version: 0 }, { $set: { version: 1, by: i } })));
    assert.equal(results.filter((r) => r.matchedCount === 1).length, 1);
  });

  it('does not enforce unique indexes: a duplicate insert is accepted', async () => {
    const c = await freshCollection();
    await c.createIndex({ k: 1 }, { unique: true, name: 'k_unique' });
    await c.insertOne({ k: 'same' });
    await c.insertOne({ k: 'same' });
    assert.equal(await c.countDocuments({ k: 'same' }), 2);
  });

  it('does not roll back an aborted transaction', async () => {
    const c = await freshCollection();
    const client = connections.at(-1)?.getClient() ?? assert.fail('no client');
    const session = client.startSession();
    try {
      session.startTransaction();
      await c.insertOne({ inTransaction: true }, { session });
      await session.abortTransaction();
    } finally {
      await session.endSession();
    }
    assert.equal(await c.countDocuments({ inTransaction: true }), 1);
  });

  it('sorts strings in locale order but compares them in binary order', async () => {
    const c = await freshCollection();
    await c.insertMany(['b', 'B', 'a', 'A'].map((k) => ({ k })));
    assert.deepEqual(
      (await c.find({}, { sort: { k: 1 } }).toArray()).map((d) => d.k),
      ['a', 'A', 'b', 'B'],
    );
    assert.deepEqual(
      (await c.find({ k: { $gt: 'a' } }).toArray()).map((d) => d.k),
      ['b'],
    );
  });
});

/**
 * `MONGODB_URI` selects the MongoDB repositories: the real app, started on that URI (the CongoDB wire
 * server unless MONGODB_URI points at a real mongod), keeps a conversation, its escalation and the
 * agent's reply across a restart, as it does on SQLite. Its own collections prefix keeps it apart.
 */
import assert from 'node:assert/strict';
import { type MongoServerForTests, mongoForTests } from '../support/mongo-server';
import { logInAgents, postMessage, replyText, startApp } from '../support/server';

describe('server on MONGODB_URI', function () {
  this.timeout(30_000);
  let mongo: MongoServerForTests | undefined;
  let skipWhy: string | undefined;
  before(async () => {
    try {
      mongo = await mongoForTests();
    } catch (err) {
      skipWhy = `no MongoDB-protocol server could start here (${(err as Error).message})`;
      console.log(`  SKIPPED server on MONGODB_URI: ${skipWhy}`);
    }
  });
  after(async () => mongo?.stop());

  it('runs the demo on MongoDB and keeps the conversation and its escalation across a restart', async function () {
    if (!mongo) return this.skip();
    // The wire server does not stream heartbeats; a real server ignores the polling hint happily.
    const uri = `${mongo.uri}${mongo.uri.includes('?') ? '&' : '?'}serverMonitoringMode=poll`;
    const env = { MONGODB_URI: uri };
    const first = await startApp(env);
    try {
      await logInAgents(first.url, ['anna']); // someone on duty: the customer waits for them (no ticket)
      assert.equal(first.app.engine.data.kind, 'mongodb');
      const id = `mongo-${Date.now()}`;
      assert.match(replyText((await postMessage(first.url, { conversationId: id, text: 'where is my order' })).json), /order number/i);
      await postMessage(first.url, { conversationId: id, text: 'talk to a human please' });
      const record = await first.app.handoff.get(`web:${id}`);
      assert.ok(record && ['queued', 'assigned'].includes(record.state), `escalated (${record?.state})`);
    } finally {
      await first.stop();
    }
    const again = await startApp(env);
    try {
      const key = (await again.app.engine.data.handoffs.queue()).items
        .map((r) => r.key)
        .concat((await again.app.engine.data.handoffs.list({ state: 'assigned' })).items.map((r) => r.key));
      assert.ok(key.length >= 1, 'the escalation is still there after the restart');
      const said = await again.app.engine.data.messages.after(key[0] as string, 0, 50, 'customer');
      assert.deepEqual(
        said.filter((m) => m.from === 'customer').map((m) => m.text),
        ['where is my order', 'talk to a human please'],
      );
    } finally {
      await again.stop();
    }
  });
});

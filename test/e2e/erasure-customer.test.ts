/**
 * Erasure of a customer in one step (issue 12, item 5): every conversation of a verified web
 * customer goes, another customer's stays; only admins may; one conversation with a person on it
 * refuses the whole erasure (409, nothing erased); one audit entry names the customer by a keyed
 * hash and the chain still verifies; `kefu erase --customer` does the same from the command line.
 */
import assert from 'node:assert/strict';
import { createSignedIdentity } from '../../adapters/web';
import { run as eraseCommand } from '../../cli/commands/erase';
import { createAuditLog } from '../../plugins/audit';
import { customerDigest } from '../../server/erasure';
import { handoff } from '../data/fixtures';
import { createKeywordClassifier } from '../support/keyword-classifier';
import { postMessage, type RunningApp, startApp } from '../support/server';
import { login } from './console-support';

const SECRET = 'shop-backend-secret-0123456789abcdef';

describe('erasure of a customer', function () {
  this.timeout(30_000);
  let s: RunningApp;
  const env = { WEB_IDENTITY_SECRET: SECRET };
  const tokenOf = async (agentId: string) => (await login(s.url, agentId)).token;
  const erase = async (customer: string, token: string) =>
    fetch(`${s.url}/console/api/customers/${encodeURIComponent(customer)}/erase`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  const as = (userId: string) => createSignedIdentity({ userId, exp: Math.floor(Date.now() / 1000) + 3600 }, SECRET);
  const say = (conversationId: string, userId: string, text: string) => {
    const signed = as(userId);
    return postMessage(s.url, { conversationId, text, identity: signed.identity, identitySignature: signed.signature });
  };

  before(async () => {
    s = await startApp(env, { classifier: createKeywordClassifier() });
    for (const agent of ['anna', 'wang', 'lilei']) await s.app.handoff.setAgentStatus(agent, 'offline');
    await say('ann-1', 'shop-42', 'blorp my private frobnicator');
    await say('ann-2', 'shop-42', 'talk to a human please'); // nobody there: a ticket
    await say('bob-1', 'shop-7', 'blorp another frobnicator text');
    await s.app.handoff.idle();
  });
  after(() => s?.stop());

  it('agents cannot; one conversation with a person on it refuses the whole erasure and erases nothing', async () => {
    assert.equal((await erase('web:shop-42', await tokenOf('wang'))).status, 403);
    const data = s.app.engine.data;
    await data.commit({ key: 'web:ann-live', ref: { channel: 'web', conversationId: 'ann-live', userId: 'shop-42' }, messages: [] });
    await data.handoffs.create(handoff({ id: 'ann-live-1', key: 'web:ann-live' }));
    const res = await erase('web:shop-42', await tokenOf('anna'));
    assert.equal(res.status, 409);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'KEFU_ERR_ERASE_ACTIVE_HANDOFF');
    assert.ok((await data.messages.after('web:ann-1', 0, 50)).length > 0, 'nothing was erased');
    const live = await data.handoffs.get('ann-live-1');
    if (live) await data.handoffs.update({ ...live.value, state: 'cancelled' }, live.version);
    const bad = await erase('no-channel', await tokenOf('anna'));
    assert.equal(bad.status, 400);
  });

  it('an admin erases every conversation of the customer; others stay; one audit entry, the chain verifies', async () => {
    const data = s.app.engine.data;
    const res = await erase('web:shop-42', await tokenOf('anna'));
    assert.equal(res.status, 200, await res.clone().text());
    const { erased } = (await res.json()) as { erased: { conversations: number; messages: number; tickets: number; inboxEntries: number; target: string } };
    assert.equal(erased.conversations, 3, JSON.stringify(erased));
    assert.ok(erased.messages >= 4 && erased.tickets === 1 && erased.inboxEntries >= 1, JSON.stringify(erased));
    for (const key of ['web:ann-1', 'web:ann-2', 'web:ann-live']) {
      assert.deepEqual(await data.messages.after(key, 0, 50), [], key);
      assert.equal(await data.sessions.read(key), undefined, key);
      assert.equal(await data.handoffs.latest(key), undefined, key);
    }
    assert.deepEqual((await data.sessions.conversationsOf('web:shop-42')).items, []);
    assert.ok((await data.messages.after('web:bob-1', 0, 50)).length > 0, 'another customer stays');
    const audit = createAuditLog({ data });
    assert.equal((await audit.verify()).ok, true);
    const [last] = (await audit.page({ limit: 1 })).entries;
    assert.deepEqual([last?.action, last?.actor, last?.target], ['erase.customer', 'anna', await customerDigest(data, 'web:shop-42')]);
    assert.ok(!JSON.stringify(last).includes('shop-42'), 'the audit entry does not name the customer');
    assert.equal(last?.detail.conversations, 3);
  });

  it('kefu erase --customer does it from the command line', async () => {
    const out: string[] = [];
    const io = { stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => out.push(t) } } as never;
    assert.equal(await eraseCommand(['--customer', 'web:shop-7', '--conversation', 'web:bob-1', '--by', 'dpo'], io), 2, 'one of the two');
    await s.stop(true); // one process at a time on the data dir
    const cliEnv = { DATA_DIR: s.dataDir, LOG_LEVEL: 'silent' };
    assert.equal(await eraseCommand(['--customer', 'web:shop-7', '--by', 'dpo'], io, { env: cliEnv }), 0, out.join(''));
    assert.match(out.join(''), /erased 1 conversations of the customer \(customer:[0-9a-f]{32} in the audit log\): [1-9]\d* messages/);
    s = await startApp(env, { classifier: createKeywordClassifier() }, s.dataDir);
    assert.deepEqual(await s.app.engine.data.messages.after('web:bob-1', 0, 50), []);
    assert.equal((await createAuditLog({ data: s.app.engine.data }).verify()).ok, true);
  });
});

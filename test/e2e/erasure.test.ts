/**
 * Erasure on request (issue 12, item 5): an admin erases one conversation — its messages, session,
 * handoffs, tickets and the inbox entries of its customer's texts go, other conversations stay,
 * the audit chain still verifies and records the erasure; agents cannot; a conversation with a
 * person on it is refused; `kefu erase` does the same from the command line.
 */
import assert from 'node:assert/strict';
import { run as eraseCommand } from '../../cli/commands/erase';
import { createAuditLog } from '../../plugins/audit';
import { handoff } from '../data/fixtures';
import { createKeywordClassifier } from '../support/keyword-classifier';
import { postMessage, type RunningApp, startApp } from '../support/server';
import { login } from './console-support';

describe('erasure on request', function () {
  this.timeout(30_000);
  let s: RunningApp;
  const tokenOf = async (agentId: string) => (await login(s.url, agentId)).token;
  const erase = async (key: string, token: string) => fetch(`${s.url}/console/api/conversations/${key}/erase`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });

  before(async () => {
    s = await startApp({}, { classifier: createKeywordClassifier() });
    for (const agent of ['anna', 'wang', 'lilei']) await s.app.handoff.setAgentStatus(agent, 'offline');
    await postMessage(s.url, { conversationId: 'forget-me', text: 'blorp my private frobnicator' }); // not understood: kept in the inbox
    await postMessage(s.url, { conversationId: 'forget-me', text: 'talk to a human please' }); // nobody there: a ticket
    await postMessage(s.url, { conversationId: 'keep-me', text: 'blorp another frobnicator text' });
    await s.app.handoff.idle();
  });
  after(() => s?.stop());

  it('an admin erases a conversation: its data goes, others stay, the audit chain records it and verifies', async () => {
    const data = s.app.engine.data;
    assert.ok((await data.messages.after('web:forget-me', 0, 50)).length > 0);
    const inboxBefore = (await data.inbox.list({})).items.length;
    const res = await erase('web:forget-me', await tokenOf('anna'));
    assert.equal(res.status, 200, await res.clone().text());
    const { erased } = (await res.json()) as { erased: { messages: number; handoffs: number; tickets: number; inboxEntries: number } };
    assert.ok(erased.messages >= 4 && erased.handoffs === 1 && erased.tickets === 1 && erased.inboxEntries >= 1, JSON.stringify(erased));
    assert.deepEqual(await data.messages.after('web:forget-me', 0, 50), []);
    assert.equal(await data.handoffs.latest('web:forget-me'), undefined);
    assert.equal(await data.tickets.openFor('web:forget-me'), undefined);
    assert.equal(await data.sessions.read('web:forget-me'), undefined);
    const texts = (await data.inbox.list({})).items.map((e) => e.text);
    assert.ok(!texts.some((t) => t.includes('private')), 'the inbox forgot the customer’s text');
    assert.equal((await data.inbox.list({})).items.length, inboxBefore - erased.inboxEntries);
    assert.ok((await data.messages.after('web:keep-me', 0, 50)).length > 0, 'another conversation stays');
    const audit = createAuditLog({ data });
    assert.equal((await audit.verify()).ok, true);
    const [last] = (await audit.page({ limit: 1 })).entries;
    assert.deepEqual([last?.action, last?.actor, last?.target], ['erase', 'anna', 'web:forget-me']);
  });

  it('agents cannot erase; a conversation with a person on it is refused', async () => {
    assert.equal((await erase('web:keep-me', await tokenOf('wang'))).status, 403);
    await s.app.engine.data.handoffs.create(handoff({ id: 'live-1', key: 'web:live' }));
    const res = await erase('web:live', await tokenOf('anna'));
    assert.equal(res.status, 409);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'KEFU_ERR_ERASE_ACTIVE_HANDOFF');
  });

  it('kefu erase does it from the command line', async () => {
    const out: string[] = [];
    const io = { stdout: { write: (t: string) => out.push(t) }, stderr: { write: (t: string) => out.push(t) } } as never;
    assert.equal(await eraseCommand(['--conversation', 'web:keep-me'], io), 2, '--by is required');
    await s.stop(true); // one process at a time on the data dir
    assert.equal(await eraseCommand(['--conversation', 'web:keep-me', '--by', 'dpo'], io, { env: { DATA_DIR: s.dataDir, LOG_LEVEL: 'silent' } }), 0, out.join(''));
    assert.match(out.join(''), /erased web:keep-me: [1-9]\d* messages/);
    s = await startApp({}, { classifier: createKeywordClassifier() }, s.dataDir);
  });
});

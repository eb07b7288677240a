/**
 * Staff actions on the handoff service reach the audit log through the events the service emits:
 * claim, reply, note, transfer, resolve, status, ticket update and answer, each once, with the
 * acting agent, and never the message text.
 */
import assert from 'node:assert/strict';
import { type AuditEntry, createAuditChannel, createAuditLog, verifyAuditLog } from '../../plugins/audit';
import { createRig, key, type Rig } from '../handoff/support';

const AGENTS = [
  { id: 'anna', name: 'Anna', skills: ['orders', 'general'], languages: ['en' as const], capacity: 2, status: 'away' as const },
  { id: 'lilei', name: 'Li Lei', skills: ['orders', 'general'], languages: ['en' as const, 'zh' as const], capacity: 2, status: 'online' as const },
];

describe('audit of handoff actions', () => {
  let rig: Rig;
  let entries: () => Promise<AuditEntry[]>;

  beforeEach(async () => {
    rig = await createRig({ agents: AGENTS.map((a) => ({ ...a, status: 'away' as const })) });
    const audit = createAuditLog({ data: rig.engine.data, now: () => rig.clock.t });
    rig.service.addAgentChannel(createAuditChannel(audit));
    entries = async () => {
      await rig.service.idle();
      return (await audit.page({ limit: 100 })).entries.reverse();
    };
  });
  afterEach(() => rig.close());

  it('logs claim, reply, note, transfer, status, resolve by their agents, without the texts', async () => {
    await rig.say('c1', 'I need a human');
    assert.ok((await rig.service.claim(key('c1'), 'anna')).ok);
    assert.ok((await rig.service.reply(key('c1'), 'anna', { text: 'Secret reply 4321' })).ok);
    assert.ok((await rig.service.note(key('c1'), 'anna', 'private note about the customer')).ok);
    assert.ok((await rig.service.setAgentStatus('lilei', 'online')).ok);
    assert.ok((await rig.service.transfer(key('c1'), 'anna', { agentId: 'lilei' })).ok);
    assert.ok((await rig.service.resolve(key('c1'), 'lilei')).ok);
    assert.equal((await rig.service.reply(key('c1'), 'lilei', { text: 'too late' })).ok, false, 'a refused action is not an action');
    const log = await entries();
    assert.deepEqual(
      log.map((e) => [e.actor, e.action, e.target]),
      [
        ['anna', 'claim', key('c1')],
        ['anna', 'reply', key('c1')],
        ['anna', 'note', key('c1')],
        ['lilei', 'status', 'lilei'],
        ['anna', 'transfer', key('c1')],
        ['lilei', 'resolve', key('c1')],
      ],
    );
    assert.deepEqual(log[1]?.detail, { delivery: 'sent', attachments: 0 });
    assert.deepEqual(log[3]?.detail, { status: 'online' });
    assert.deepEqual(log[4]?.detail, { toAgent: 'lilei' });
    const raw = JSON.stringify(log);
    assert.ok(!raw.includes('Secret reply') && !raw.includes('private note'), 'no message text in the audit log');
    assert.equal((await verifyAuditLog(rig.engine.data)).ok, true);
  });

  it('logs ticket updates and answers, not ticket notes’ text', async () => {
    for (const a of AGENTS) await rig.service.setAgentStatus(a.id, 'offline');
    await rig.say('t1', 'agent please');
    const [ticket] = (await rig.service.listTickets()).items;
    assert.ok(ticket);
    assert.ok((await rig.service.updateTicket(ticket.id, 'anna', { status: 'pending', priority: 3, note: 'called the courier' })).ok);
    assert.ok((await rig.service.answerTicket(ticket.id, 'lilei', 'Your parcel arrives Friday')).ok);
    const log = (await entries()).filter((e) => e.action.startsWith('ticket.'));
    assert.deepEqual(
      log.map((e) => [e.actor, e.action, e.target, e.detail]),
      [
        ['anna', 'ticket.update', ticket.id, { change: 'status', value: 'pending' }],
        ['anna', 'ticket.update', ticket.id, { change: 'priority', value: '3' }],
        ['anna', 'ticket.update', ticket.id, { change: 'note' }],
        ['lilei', 'ticket.answer', ticket.id, {}],
      ],
    );
    const raw = JSON.stringify(await entries());
    assert.ok(!raw.includes('courier') && !raw.includes('Friday'));
  });
});

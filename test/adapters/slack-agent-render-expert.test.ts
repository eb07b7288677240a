/** The Slack thread lines of the expert tier: an escalation with its note, and a missed first-response target for supervisors. */
import assert from 'node:assert/strict';
import { renderEventLine } from '../../adapters/slack/agent-render';
import type { HandoffEvent, HandoffRecord } from '../../plugins/handoff';

const record = { id: 'web:1#1', key: 'web:1', state: 'assigned', agentId: 'anna' } as HandoffRecord;
const label = (id?: string) => (id === 'anna' ? 'Anna' : (id ?? 'nobody'));

describe('slack agent lines: expert tier', () => {
  it('says who escalated to which experts, with the note', () => {
    const e: HandoffEvent = { type: 'handoff.escalated', key: 'web:1', record, at: 1, agentId: 'anna', level: 'expert', skill: 'refunds', note: 'over <the> limit' };
    assert.equal(renderEventLine(e, label)?.text, ':mortar_board: Anna escalated this to the *refunds* experts: over &lt;the&gt; limit');
  });
  it('alerts supervisors of a missed first-response target', () => {
    const e: HandoffEvent = { type: 'handoff.sla_breached', key: 'web:1', record, at: 1, level: 'agent', targetMs: 60_000, waitedMs: 61_000, agentId: 'anna' };
    assert.match(renderEventLine(e, label)?.text ?? '', /^:rotating_light: \*SLA breached\* \(agent tier\): no agent reply after 61 s \(target 60 s\); with Anna\. Supervisors/);
  });
});

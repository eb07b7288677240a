/**
 * Staff actions on the handoff service, audited from the events the service already emits to agent
 * channels: one `service.addAgentChannel(createAuditChannel(audit))` covers every action from every
 * agent side (web console, Slack threads), with no change to the actions themselves. An event is
 * emitted after its change was saved, so only actions that happened are logged.
 */
import type { AgentChannel, HandoffEvent } from '../handoff/types';
import type { AuditLog } from './log';
import type { AuditInput } from './types';

/** The audit entry for an event, or undefined when the event is not a staff action. */
export function auditInputFor(event: HandoffEvent): AuditInput | undefined {
  switch (event.type) {
    case 'handoff.assigned':
      // Routing is the system; a transfer is logged once, as `transfer`.
      return event.by === 'claim' ? { actor: event.agentId, action: 'claim', target: event.key } : undefined;
    case 'handoff.agent_message':
      return { actor: event.agentId, action: 'reply', target: event.key, detail: { delivery: event.delivery, attachments: event.attachments.length } };
    case 'handoff.note':
      return { actor: event.agentId, action: 'note', target: event.key };
    case 'handoff.resolved':
      return { actor: event.agentId, action: 'resolve', target: event.key };
    case 'handoff.transferred':
      return {
        actor: event.fromAgentId,
        action: 'transfer',
        target: event.key,
        detail: 'agentId' in event.target ? { toAgent: event.target.agentId } : { toSkill: event.target.skill },
      };
    case 'agent.status':
      return { actor: event.agentId, action: 'status', target: event.agentId, detail: { status: event.status } };
    case 'ticket.updated': {
      const { change, ticket } = event;
      if (!change.by) return undefined;
      if (change.action === 'answered') return { actor: change.by, action: 'ticket.answer', target: ticket.id };
      // A note's text stays in the ticket; only that a note was added is logged.
      return {
        actor: change.by,
        action: 'ticket.update',
        target: ticket.id,
        detail: { change: change.action, ...(change.action !== 'note' && change.detail ? { value: change.detail } : {}) },
      };
    }
    default:
      return undefined;
  }
}

/** An agent channel that appends every staff action to the audit log. */
export function createAuditChannel(audit: AuditLog): AgentChannel {
  return {
    name: 'audit',
    async onEvent(event) {
      const input = auditInputFor(event);
      if (input) await audit.append(input);
    },
  };
}

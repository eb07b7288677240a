/**
 * Which conversations and tickets a staff member may see and act on (docs/roles.md): agents the
 * queue, their own conversations, and tickets nobody or they have; supervisors and admins all.
 * Each check throws 403 KEFU_ERR_CONSOLE_FORBIDDEN; a missing record is left to the service's 404.
 */
import type { HandoffRecord, HandoffService, Ticket, TicketPatch } from '../../plugins/handoff';
import { can, type StaffMember } from '../staff/roles';
import { forbidden } from './staff-route';

export const seesAll = (me: StaffMember) => can(me.role, 'seeAll');

export function mayReadRecord(me: StaffMember, r: HandoffRecord): boolean {
  return seesAll(me) || r.state === 'queued' || r.agentId === me.id;
}

export function mayReadTicket(me: StaffMember, t: Ticket): boolean {
  return seesAll(me) || !t.assigneeId || t.assigneeId === me.id;
}

export function createAccess(handoff: HandoffService) {
  return {
    /** The conversation's record when `me` may see it (undefined when there is none). */
    async conversation(me: StaffMember, key: string): Promise<HandoffRecord | undefined> {
      const r = await handoff.get(key);
      if (r && !mayReadRecord(me, r))
        throw forbidden(`Conversation "${key}" is ${r.agentId ? `with ${r.agentId}` : r.state}; agents act only on their own conversations and the queue.`);
      return r;
    },
    /** The ticket when `me` may see it and, for an agent, the patch only takes or gives back the ticket. */
    async ticket(me: StaffMember, id: string, patch: TicketPatch = {}): Promise<Ticket | undefined> {
      const t = await handoff.getTicket(id);
      if (t && !mayReadTicket(me, t)) throw forbidden(`Ticket ${id} is assigned to ${t.assigneeId}; agents act only on their own tickets and unassigned ones.`);
      if (patch.assigneeId && patch.assigneeId !== me.id && !can(me.role, 'reassign')) throw forbidden('Agents cannot assign tickets to others; a supervisor can.');
      return t;
    },
  };
}

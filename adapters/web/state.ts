/**
 * Who the customer is talking to, as the page's header says it: the bot, the queue (with the
 * place, when kept), an agent by name, or an open ticket. Read from the handoff records; the page
 * gets it with each answer, from `GET /api/web/state`, and pushed on the event stream.
 */
import type { HandoffRecord, HandoffService } from '../../plugins/handoff';

export type WebChatState =
  | { mode: 'bot' }
  | { mode: 'queued'; position?: number }
  | { mode: 'agent'; agentId: string; agentName: string }
  | { mode: 'ticket'; ticketId: string; status: 'open' | 'pending' };

/** What the state is read from: the handoff service, narrowed. */
export type HandoffLookup = Pick<HandoffService, 'get' | 'getTicket' | 'agents'>;

export const webKey = (conversationId: string) => `web:${conversationId}`;

async function fromRecord(handoff: HandoffLookup, r: HandoffRecord): Promise<WebChatState> {
  if (r.state === 'queued') return { mode: 'queued', ...(r.queuePosition ? { position: r.queuePosition } : {}) };
  if (r.state === 'assigned' && r.agentId) {
    const agentId = r.agentId;
    const agent = (await handoff.agents()).find((a) => a.id === agentId);
    return { mode: 'agent', agentId, agentName: agent?.name ?? agentId };
  }
  if (r.state === 'ticket' && r.ticketId) {
    const ticket = await handoff.getTicket(r.ticketId);
    if (ticket && (ticket.status === 'open' || ticket.status === 'pending')) return { mode: 'ticket', ticketId: ticket.id, status: ticket.status };
  }
  return { mode: 'bot' };
}

/** The conversation's state now (the bot when there is no handoff, or it ended). */
export async function webChatState(handoff: HandoffLookup | undefined, conversationId: string): Promise<WebChatState> {
  return (await webChatStateWithRecord(handoff, conversationId)).state;
}

/** The state, and the record it was read from (none: the conversation never had a handoff). */
export async function webChatStateWithRecord(handoff: HandoffLookup | undefined, conversationId: string): Promise<{ state: WebChatState; record?: HandoffRecord }> {
  const record = handoff ? await handoff.get(webKey(conversationId)) : undefined;
  return handoff && record ? { state: await fromRecord(handoff, record), record } : { state: { mode: 'bot' } };
}

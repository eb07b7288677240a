/**
 * Tickets in the support channel, the way escalations are: a ticket opens a thread (summary, last
 * turns); what the customer writes to it later, and its changes, follow as thread replies; a staff
 * reply in the thread answers the ticket on the customer's channel (`note:` / `//` adds a note).
 * Which thread belongs to which ticket is kept in memory (bounded): after a restart the next event
 * of an older ticket opens a new thread for it.
 */
import type { App } from '@slack/bolt';
import { KefuError, type Logger } from '../../core';
import type { ActionResult, AgentProfile, HandoffEvent, HandoffService, Ticket } from '../../plugins/handoff';
import type { ThreadPost } from './agent';
import type { AgentCommand } from './agent-commands';
import { type AgentLabel, renderTicketLine, renderTicketRoot } from './agent-render';
import type { Thread } from './agent-threads';

const KEPT = 5000;

export interface TicketThreadDeps {
  app: App;
  handoff: HandoffService;
  supportChannel: string;
  log: Logger;
  send: (thread: Thread, item: ThreadPost) => Promise<void>;
}

export type TicketEvent = Extract<HandoffEvent, { type: 'ticket.created' | 'ticket.updated' | 'ticket.customer_message' }>;

export function isTicketEvent(e: HandoffEvent): e is TicketEvent {
  return e.type === 'ticket.created' || e.type === 'ticket.updated' || e.type === 'ticket.customer_message';
}

export function createTicketThreads(deps: TicketThreadDeps) {
  const { app, handoff, supportChannel } = deps;
  const byTicket = new Map<string, Thread>();
  const byTs = new Map<string, string>();

  function remember(ticketId: string, thread: Thread): void {
    byTicket.set(ticketId, thread);
    byTs.set(`${thread.channel}:${thread.ts}`, ticketId);
    if (byTicket.size > KEPT) byTicket.delete(byTicket.keys().next().value as string);
    if (byTs.size > KEPT) byTs.delete(byTs.keys().next().value as string);
  }

  async function open(ticket: Ticket, label: AgentLabel): Promise<Thread> {
    const known = byTicket.get(ticket.id);
    if (known) return known;
    const root = renderTicketRoot(ticket, label);
    const res = await app.client.chat.postMessage({ channel: supportChannel, text: root.text, ...(root.blocks ? { blocks: root.blocks } : {}), unfurl_links: false });
    if (typeof res.ts !== 'string') throw new KefuError('KEFU_ERR_CHANNEL_SEND_FAILED', 'Slack chat.postMessage returned no ts for the ticket thread.');
    const thread = { channel: typeof res.channel === 'string' ? res.channel : supportChannel, ts: res.ts };
    remember(ticket.id, thread);
    return thread;
  }

  return {
    /** Posts a ticket event: a new ticket opens its thread; later events are lines in it. */
    async onEvent(event: TicketEvent, label: AgentLabel): Promise<void> {
      const thread = await open(event.ticket, label);
      if (event.type === 'ticket.created') return;
      if (event.type === 'ticket.updated' && event.change.action === 'customer') return; // the customer_message event shows it
      const line = renderTicketLine(event, label);
      if (line) await deps.send(thread, { kind: 'post', post: line });
    },

    /** The ticket a support-channel thread belongs to, if it is a ticket thread. */
    ticketOf: (channel: string, ts: string): string | undefined => byTs.get(`${channel}:${ts}`),

    /** A staff message in a ticket thread: a reply answers the customer, a note is kept on the ticket; other commands do not apply. */
    async run(cmd: AgentCommand, ticketId: string, agent: AgentProfile): Promise<ActionResult<{ reaction?: string }>> {
      void handoff.heartbeat(agent.id, 'slack');
      if (cmd.kind === 'note') {
        const r = await handoff.updateTicket(ticketId, agent.id, { note: cmd.text });
        return r.ok ? { ok: true, reaction: 'memo' } : r;
      }
      if (cmd.kind === 'reply' && cmd.text) {
        const r = await handoff.answerTicket(ticketId, agent.id, cmd.text);
        return r.ok ? { ok: true, reaction: r.delivery === 'sent' ? 'white_check_mark' : 'hourglass_flowing_sand' } : r;
      }
      if (cmd.kind === 'resolve') {
        const r = await handoff.updateTicket(ticketId, agent.id, { status: 'resolved' });
        return r.ok ? { ok: true, reaction: 'white_check_mark' } : r;
      }
      return {
        ok: false,
        code: 'KEFU_ERR_HANDOFF_INPUT_INVALID',
        message: `Ticket ${ticketId}: reply to answer the customer, \`note:\` for a note, or \`resolve\`. Nothing was sent.`,
      };
    },
  };
}

export type TicketThreads = ReturnType<typeof createTicketThreads>;

/**
 * Tickets in the support channel, the way escalations are: a ticket opens a thread (summary, last
 * turns); what the customer writes to it later, and its changes, follow as thread replies; a staff
 * reply in the thread answers the ticket on the customer's channel (`note:` / `//` adds a note).
 * Which thread belongs to which ticket is stored on the ticket (`links`, found back by the thread's
 * ts through the handoff service), so a staff reply in a ticket's thread is relayed after a restart
 * and by any instance; cached in memory (bounded) for speed.
 */
import type { App } from '@slack/bolt';
import { KefuError, type Logger } from '../../core';
import type { ActionResult, AgentProfile, HandoffEvent, HandoffService, Ticket } from '../../plugins/handoff';
import type { ThreadPost } from './agent';
import type { AgentCommand } from './agent-commands';
import { type AgentLabel, renderTicketLine, renderTicketRoot } from './agent-render';
import { LINK_CHANNEL, LINK_THREAD, type Thread, threadFromLinks } from './agent-threads';

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

  /** The ticket's thread from the cache or the ticket's links (the event's copy, then the stored one). */
  async function known(ticket: Ticket): Promise<Thread | undefined> {
    const cached = byTicket.get(ticket.id);
    if (cached) return cached;
    const thread = threadFromLinks(ticket.links, supportChannel) ?? threadFromLinks((await handoff.getTicket(ticket.id))?.links, supportChannel);
    if (thread) remember(ticket.id, thread);
    return thread;
  }

  async function open(ticket: Ticket, label: AgentLabel): Promise<Thread> {
    const existing = await known(ticket);
    if (existing) return existing;
    const root = renderTicketRoot(ticket, label);
    const res = await app.client.chat.postMessage({ channel: supportChannel, text: root.text, ...(root.blocks ? { blocks: root.blocks } : {}), unfurl_links: false });
    if (typeof res.ts !== 'string') throw new KefuError('KEFU_ERR_CHANNEL_SEND_FAILED', 'Slack chat.postMessage returned no ts for the ticket thread.');
    const thread = { channel: typeof res.channel === 'string' ? res.channel : supportChannel, ts: res.ts };
    remember(ticket.id, thread);
    // The channel is shared by every ticket; the thread's ts names this one.
    for (const [name, value, findable] of [
      [LINK_CHANNEL, thread.channel, false],
      [LINK_THREAD, thread.ts, true],
    ] as const) {
      const r = await handoff.setTicketLink(ticket.id, name, value, { findable });
      if (!r.ok) deps.log.warn({ code: r.code, link: name }, 'slack ticket thread link not stored');
    }
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

    /** The ticket a support-channel thread belongs to, if it is a ticket thread (cache, then the store). */
    async ticketOf(channel: string, ts: string): Promise<string | undefined> {
      const cached = byTs.get(`${channel}:${ts}`);
      if (cached) return cached;
      const ticket = await handoff.findTicketByLink(LINK_THREAD, ts);
      if (!ticket || (ticket.links?.[LINK_CHANNEL] ?? supportChannel) !== channel) return undefined;
      remember(ticket.id, { channel, ts });
      return ticket.id;
    },

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

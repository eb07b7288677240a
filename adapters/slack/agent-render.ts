/**
 * What support staff see in the support channel (pure): the thread's opening message (summary,
 * last turns, a Claim button while queued, the state after) and one line per handoff event.
 * Customer text is escaped so it can never ping `@channel` or forge links.
 */
import type { types } from '@slack/bolt';
import type { Attachment, StoredMessage } from '../../core';
import type { HandoffEvent, HandoffRecord, Ticket, TranscriptEntry } from '../../plugins/handoff';
import { escapeSlackText } from './render';

export const CLAIM_ACTION = 'kefu_claim';
const LAST_TURNS = 6;
const TURN_CHARS = 300;

const CHANNELS: Record<string, string> = { telegram: 'Telegram', slack: 'Slack', wechat: 'WeChat', wechaty: 'WeChat', web: 'Web chat' };
const LANGUAGES: Record<string, string> = { en: 'English', zh: 'Chinese 中文' };
const REASONS: Record<string, string> = {
  requested: 'asked for a person',
  misunderstood: 'the bot did not understand',
  sentiment: 'upset customer',
  dialog: 'the dialog escalated',
  rule: 'business rule',
};
const SPEAKERS: Record<TranscriptEntry['from'], string> = { customer: 'Customer', bot: 'Bot', agent: 'Agent', system: 'System', note: 'Note' };

/** How to name an agent in Slack: a mention when their Slack id is known, else their name. */
export type AgentLabel = (agentId: string | undefined) => string;

export interface SlackPost {
  text: string;
  blocks?: types.KnownBlock[];
}

export function renderRoot(r: HandoffRecord, agent: AgentLabel): SlackPost {
  const who = escapeSlackText(r.customer.name ?? r.customer.userId);
  const channel = CHANNELS[r.ref.channel] ?? r.ref.channel;
  const urgent = r.priority > 0 ? ':fire: ' : '';
  const head = `${urgent}*Escalation* from ${who} on *${escapeSlackText(channel)}* · ${LANGUAGES[r.locale] ?? r.locale} · ${REASONS[r.reason] ?? r.reason}`;
  const sentiment = r.sentiment ? `${r.sentiment.label} (${r.sentiment.score.toFixed(2)})` : 'n/a';
  const fields = [
    `*Customer*\n${who}${r.customer.email ? ` · ${escapeSlackText(r.customer.email)}` : ''}${r.customer.tier ? ` · ${escapeSlackText(r.customer.tier)}` : ''}`,
    `*Intent*\n${escapeSlackText(r.intent)} → ${escapeSlackText(r.skill)}`,
    `*Sentiment*\n${sentiment}`,
    `*Priority*\n${r.priority}`,
  ].map((text) => ({ type: 'mrkdwn' as const, text }));
  const before = r.transcript.filter((t) => t.at <= r.requestedAt && t.from !== 'note').slice(-LAST_TURNS);
  const turns = before.length ? before.map((t) => `> *${SPEAKERS[t.from]}:* ${clip(t.text)}`).join('\n') : '_no earlier turns_';
  const blocks: types.KnownBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: head } },
    { type: 'section', fields },
    { type: 'section', text: { type: 'mrkdwn', text: `*Last turns*\n${turns}` } },
    ...statusBlocks(r, agent),
    {
      type: 'context',
      elements: [
        { type: 'mrkdwn', text: 'Reply in this thread to answer the customer · `note:` or `//` for internal notes · `resolve` · `transfer @person` or `transfer <skill>`' },
      ],
    },
  ];
  return { text: `Escalation: ${who} on ${channel} (${r.intent})`, blocks };
}

function statusBlocks(r: HandoffRecord, agent: AgentLabel): types.KnownBlock[] {
  const context = (text: string): types.KnownBlock => ({ type: 'context', elements: [{ type: 'mrkdwn', text }] });
  switch (r.state) {
    case 'queued':
      return [
        context(`:hourglass_flowing_sand: Waiting in the queue${r.queuePosition ? ` (position ${r.queuePosition})` : ''} for *${escapeSlackText(r.skill)}*`),
        {
          type: 'actions',
          block_id: 'kefu_handoff',
          elements: [{ type: 'button', action_id: CLAIM_ACTION, style: 'primary', text: { type: 'plain_text', text: 'Claim' }, value: r.id }],
        },
      ];
    case 'assigned':
      return [context(`:bust_in_silhouette: With ${agent(r.agentId)}`)];
    case 'resolved':
      return [context(`:white_check_mark: Resolved by ${agent(r.agentId)}${r.csat ? ` · rating ${r.csat}/5` : ''}`)];
    case 'cancelled':
      return [context(':leftwards_arrow_with_hook: The customer went back to the bot')];
    case 'ticket':
      return [context(`:ticket: Became ticket ${escapeSlackText(r.ticketId ?? '')}`)];
  }
}

/** A customer's message as a thread line (live, or read back from the transcript after a restart). */
export function renderCustomerLine(text: string, attachments: readonly Attachment[] = []): SlackPost {
  return withAttachments(`*Customer:* ${escapeSlackText(text) || '_(no text)_'}`, attachments);
}

/** A reply written at another desk (the console) as a thread line; `queued` when the customer's channel has not taken it yet. */
function renderAgentLine(agentName: string, text: string, attachments: readonly Attachment[] = [], queued = false): SlackPost {
  return withAttachments(`*${agentName}* (from another desk): ${escapeSlackText(text)}${queued ? ' _(queued, kefu keeps retrying)_' : ''}`, attachments);
}

const renderNoteLine = (agentName: string, text: string): SlackPost => ({ text: `:memo: Note by ${agentName}: ${escapeSlackText(text)}` });

/** A transcript message as its thread line (read back after a restart): the customer's, or another desk's reply or note. */
export function renderTranscriptLine(m: StoredMessage, agent: AgentLabel): SlackPost {
  if (m.from === 'note') return renderNoteLine(agent(m.agentId), m.text);
  if (m.from === 'agent') return renderAgentLine(agent(m.agentId), m.text, m.attachments);
  return renderCustomerLine(m.text, m.attachments);
}

/** The thread line for an event, or undefined when the event shows nothing in Slack. */
export function renderEventLine(e: HandoffEvent, agent: AgentLabel): SlackPost | undefined {
  switch (e.type) {
    case 'handoff.assigned':
      return { text: `:bust_in_silhouette: Assigned to ${agent(e.agentId)} (${e.by})` };
    case 'handoff.customer_message':
      return renderCustomerLine(e.text, e.attachments);
    case 'handoff.agent_message':
      return renderAgentLine(agent(e.agentId), e.text, e.attachments, e.delivery === 'queued');
    case 'handoff.note':
      return renderNoteLine(agent(e.agentId), e.text);
    case 'handoff.transferred':
      return {
        text: `:arrows_counterclockwise: ${agent(e.fromAgentId)} transferred this to ${'agentId' in e.target ? agent(e.target.agentId) : `the *${escapeSlackText(e.target.skill)}* queue`}`,
      };
    case 'handoff.escalated':
      return { text: `:mortar_board: ${agent(e.agentId)} escalated this to the *${escapeSlackText(e.skill)}* experts: ${escapeSlackText(e.note)}` };
    case 'handoff.sla_breached':
      return {
        text: `:rotating_light: *SLA breached* (${e.level} tier): no ${e.level} reply after ${Math.round(e.waitedMs / 1000)} s (target ${Math.round(e.targetMs / 1000)} s)${e.agentId ? `; with ${agent(e.agentId)}` : '; still waiting in the queue'}. Supervisors, please step in.`,
      };
    case 'handoff.resolved':
      return { text: `:white_check_mark: Resolved by ${agent(e.agentId)}. The bot is back and asks the customer for a rating.` };
    case 'handoff.cancelled':
      return { text: `:leftwards_arrow_with_hook: ${e.by === 'customer' ? 'The customer went back to the bot.' : 'Ended by the system.'}` };
    case 'handoff.csat':
      return { text: `:star: The customer rated this ${e.score}/5.` };
    default:
      return undefined;
  }
}

export function renderError(code: string, message: string): SlackPost {
  return { text: `:warning: ${escapeSlackText(message)} (\`${code}\`)` };
}

function withAttachments(text: string, attachments: readonly Attachment[]): SlackPost {
  const images = attachments.filter((a) => a.kind === 'image' && a.url?.startsWith('https://'));
  const others = attachments.filter((a) => !images.includes(a)).map((a) => (a.url ? `<${a.url}|${escapeSlackText(a.name ?? a.kind)}>` : `[${a.kind}]`));
  const full = [text, ...others].join('\n');
  if (!images.length) return { text: full };
  return {
    text: full,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: full.slice(0, 3000) } },
      ...images.map((a): types.KnownBlock => ({ type: 'image', image_url: a.url ?? '', alt_text: a.name ?? 'image' })),
    ],
  };
}

function clip(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return escapeSlackText(flat.length > TURN_CHARS ? `${flat.slice(0, TURN_CHARS - 1)}…` : flat);
}

const TICKET_STATUS: Record<string, string> = { open: 'open', pending: 'answered, waiting for the customer', resolved: 'resolved', closed: 'closed' };

/** A ticket's opening message in the support channel: who, why, the last turns; replies in the thread answer the customer. */
export function renderTicketRoot(t: Ticket, agent: AgentLabel): SlackPost {
  const who = escapeSlackText(t.customer.name ?? t.customer.userId);
  const channel = CHANNELS[t.ref.channel] ?? t.ref.channel;
  const why = t.cause === 'closed' ? 'outside business hours' : 'no agent was free';
  const turns = t.transcript.filter((e) => e.from !== 'note').slice(-LAST_TURNS);
  const last = turns.length ? turns.map((e) => `> *${SPEAKERS[e.from]}:* ${clip(e.text)}`).join('\n') : '_no earlier turns_';
  const head = `:ticket: *Ticket ${escapeSlackText(t.id)}* from ${who} on *${escapeSlackText(channel)}* · ${LANGUAGES[t.locale] ?? t.locale} · ${why} · ${TICKET_STATUS[t.status] ?? t.status}${t.assigneeId ? ` · ${agent(t.assigneeId)}` : ''}`;
  return {
    text: `Ticket ${t.id}: ${who} on ${channel}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: head } },
      { type: 'section', text: { type: 'mrkdwn', text: `*Last turns*\n${last}` } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'Reply in this thread to answer the customer on their channel · `note:` or `//` for internal notes' }] },
    ],
  };
}

/** The thread line for a ticket event (the customer wrote, the ticket changed), or undefined. */
export function renderTicketLine(e: Extract<HandoffEvent, { type: 'ticket.updated' | 'ticket.customer_message' }>, agent: AgentLabel): SlackPost | undefined {
  if (e.type === 'ticket.customer_message') {
    const to = e.ticket.assigneeId ? ` (for ${agent(e.ticket.assigneeId)})` : '';
    return withAttachments(`*Customer*${to}: ${escapeSlackText(e.text) || '_(no text)_'}`, e.attachments);
  }
  const c = e.change;
  const by = c.by && c.by !== 'customer' ? agent(c.by) : 'the customer';
  switch (c.action) {
    case 'reopened':
      return { text: `:arrows_counterclockwise: The customer wrote again: ticket ${escapeSlackText(e.ticket.id)} is open again.` };
    case 'status':
      return { text: `:label: ${by} set the ticket ${TICKET_STATUS[c.detail ?? ''] ?? escapeSlackText(c.detail ?? '')}.` };
    case 'assigned':
      return { text: `:bust_in_silhouette: Assigned to ${c.detail === 'nobody' ? 'nobody' : agent(c.detail)} by ${by}.` };
    case 'answered': {
      const answer = [...e.ticket.transcript].reverse().find((x) => x.from === 'agent');
      return { text: `*${by}* answered: ${answer ? clip(answer.text) : ''}` };
    }
    case 'note': {
      const n = [...e.ticket.transcript].reverse().find((x) => x.from === 'note');
      return { text: `:memo: Note by ${by}: ${n ? clip(n.text) : ''}` };
    }
    default:
      return undefined;
  }
}

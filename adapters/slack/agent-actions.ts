/**
 * Staff actions from Slack → handoff service calls: thread messages (reply, note, resolve, claim,
 * transfer) and the Claim button. Every refused or failed action is answered in the thread.
 * Slack retries of the same event are dropped by `event_id`.
 */
import type { App } from '@slack/bolt';
import { z } from 'zod';
import { asCodedError, type Logger, type Sequentializer } from '../../core';
import type { ActionResult, HandoffService, TransferTarget } from '../../plugins/handoff';
import { type AgentCommand, filesToAttachments, parseAgentCommand } from './agent-commands';
import { CLAIM_ACTION, renderError } from './agent-render';
import type { TicketThreads } from './agent-tickets';
import type { Thread, ThreadRegistry } from './agent-threads';
import type { ThreadPost } from './agent';

const SEEN_MAX = 2000;
const USER_SUBTYPES = new Set([undefined, 'file_share', 'thread_broadcast']);

const staffEvent = z.looseObject({
  event_id: z.string().min(1),
  event: z.looseObject({
    type: z.literal('message'),
    channel: z.string(),
    user: z.string().optional(),
    bot_id: z.string().optional(),
    subtype: z.string().optional(),
    text: z.string().max(40_000).optional(),
    ts: z.string(),
    thread_ts: z.string().optional(),
    files: z
      .array(
        z.looseObject({
          id: z.string(),
          name: z.string().optional(),
          mimetype: z.string().optional(),
          url_private: z.string().optional(),
          permalink_public: z.string().optional(),
        }),
      )
      .optional(),
  }),
});

const claimPayload = z.looseObject({
  user: z.looseObject({ id: z.string() }),
  container: z.looseObject({ channel_id: z.string(), message_ts: z.string() }),
  actions: z.array(z.looseObject({ action_id: z.literal(CLAIM_ACTION), value: z.string().min(1) })).min(1),
});

export interface AgentActionDeps {
  app: App;
  handoff: HandoffService;
  supportChannel: string;
  log: Logger;
  threads: ThreadRegistry;
  sequentialize: Sequentializer;
  track: (task: Promise<unknown>) => void;
  reply: (thread: Thread, item: ThreadPost) => Promise<void>;
  /** Ticket threads (agent-tickets.ts): a staff reply there answers the ticket. */
  tickets?: TicketThreads;
}

export function createAgentActions(deps: AgentActionDeps) {
  const { handoff, log, threads } = deps;
  const seen = new Set<string>();

  const tellUser = (thread: Thread, user: string, r: { code: string; message: string }) => {
    log.info({ code: r.code }, 'slack agent action refused');
    return deps.reply(thread, { kind: 'ephemeral', user, post: renderError(r.code, r.message) });
  };

  const react = (thread: Thread, ts: string, name: string) =>
    deps.track(
      deps.app.client.reactions.add({ channel: thread.channel, timestamp: ts, name }).catch((err: unknown) => {
        log.debug({ reason: (err as { data?: { error?: string } }).data?.error }, 'slack reaction not added');
      }),
    );

  async function transferTarget(
    to: { slackUser: string } | { name: string },
  ): Promise<TransferTarget | { code: 'KEFU_ERR_AGENT_UNKNOWN' | 'KEFU_ERR_HANDOFF_INPUT_INVALID'; message: string }> {
    if ('slackUser' in to) {
      const agent = handoff.findAgentByHandle('slack', to.slackUser);
      return agent
        ? { agentId: agent.id }
        : { code: 'KEFU_ERR_AGENT_UNKNOWN', message: `<@${to.slackUser}> is not a kefu agent (no agent has "handles": {"slack": "${to.slackUser}"}).` };
    }
    const agents = await handoff.agents();
    if (agents.some((a) => a.id === to.name)) return { agentId: to.name };
    const skills = [...new Set(agents.flatMap((a) => a.skills))];
    if (skills.includes(to.name)) return { skill: to.name };
    return {
      code: 'KEFU_ERR_HANDOFF_INPUT_INVALID',
      message: `No agent or skill is called "${to.name}" (agents: ${agents.map((a) => a.id).join(', ')}; skills: ${skills.join(', ')}). Nothing was sent to the customer.`,
    };
  }

  async function run(cmd: AgentCommand, key: string, agentId: string, files: Parameters<typeof filesToAttachments>[0]): Promise<ActionResult<{ reaction?: string }>> {
    switch (cmd.kind) {
      case 'resolve':
        return handoff.resolve(key, agentId);
      case 'claim':
        return handoff.claim(key, agentId);
      case 'transfer': {
        const target = await transferTarget(cmd.to);
        return 'code' in target ? { ok: false, ...target } : handoff.transfer(key, agentId, target);
      }
      case 'note': {
        // Written in Slack: the thread has it already; other desks relay it (the events carry the desk).
        const r = await handoff.note(key, agentId, cmd.text, { desk: 'slack' });
        return r.ok ? { ok: true, reaction: 'memo' } : r;
      }
      case 'reply': {
        const attachments = filesToAttachments(files);
        // The service wants text; a bare file share is relayed under its file name.
        const text = cmd.text || attachments.map((a) => a.name ?? a.kind).join(', ');
        const r = await handoff.reply(key, agentId, { text, desk: 'slack', ...(attachments.length ? { attachments } : {}) });
        return r.ok ? { ok: true, reaction: r.delivery === 'sent' ? 'white_check_mark' : 'hourglass_flowing_sand' } : r;
      }
    }
  }

  async function staffMessage(event: z.infer<typeof staffEvent>['event'], botUserId: string | undefined): Promise<void> {
    const threadTs = event.thread_ts;
    if (!threadTs || threadTs === event.ts || !event.user) return;
    const ticketId = await deps.tickets?.ticketOf(event.channel, threadTs);
    const link = ticketId ? undefined : await threads.forThread(event.channel, threadTs);
    if (!link && !ticketId) return; // a thread that is not an escalation or a ticket: staff talking among themselves
    const thread = link?.thread ?? { channel: event.channel, ts: threadTs };
    const agent = handoff.findAgentByHandle('slack', event.user);
    if (!agent) {
      await tellUser(thread, event.user, {
        code: 'KEFU_ERR_AGENT_UNKNOWN',
        message: `You are not set up as a kefu agent, so nothing was sent to the customer. Add "handles": {"slack": "${event.user}"} to your entry in AGENTS_FILE.`,
      });
      return;
    }
    if (ticketId && deps.tickets) {
      const done = await deps.tickets.run(parseAgentCommand(event.text ?? '', botUserId), ticketId, agent);
      if (!done.ok) await tellUser(thread, event.user, done);
      else if (done.reaction) react(thread, event.ts, done.reaction);
      return;
    }
    if (!link) return;
    const current = await handoff.get(link.key);
    if (current && current.id !== link.recordId && current.state !== 'resolved' && current.state !== 'cancelled') {
      await tellUser(thread, event.user, {
        code: 'KEFU_ERR_HANDOFF_RESOLVED',
        message: 'This escalation has ended and the customer escalated again; answer in the newer thread. Nothing was sent.',
      });
      return;
    }
    const result = await run(parseAgentCommand(event.text ?? '', botUserId), link.key, agent.id, event.files ?? []);
    if (!result.ok) await tellUser(thread, event.user, result);
    else if (result.reaction) react(thread, event.ts, result.reaction);
  }

  return {
    async onStaffMessage(body: unknown, botUserId: string | undefined): Promise<void> {
      const parsed = staffEvent.safeParse(body);
      if (!parsed.success) return;
      const { event, event_id: eventId } = parsed.data;
      if (event.channel !== deps.supportChannel || event.bot_id || !USER_SUBTYPES.has(event.subtype)) return;
      if (seen.has(eventId)) return;
      // Anything an agent writes in the support channel (a "morning!" starts the shift) is a sign of life.
      const writer = event.user ? handoff.findAgentByHandle('slack', event.user) : undefined;
      if (writer) void handoff.heartbeat(writer.id, 'slack');
      seen.add(eventId);
      if (seen.size > SEEN_MAX) seen.delete(seen.values().next().value as string);
      await deps.sequentialize(`thread:${event.thread_ts ?? event.ts}`, async () => {
        try {
          await staffMessage(event, botUserId);
        } catch (err) {
          seen.delete(eventId);
          const coded = asCodedError(err);
          log.error({ code: coded.code }, 'slack agent action failed');
          if (event.thread_ts && event.user) {
            await tellUser({ channel: event.channel, ts: event.thread_ts }, event.user, {
              code: coded.code,
              message: 'kefu could not process this message; nothing was sent to the customer. Please send it again.',
            });
          }
        }
      });
    },

    async onClaim(body: unknown): Promise<void> {
      const parsed = claimPayload.safeParse(body);
      if (!parsed.success) return;
      const { user, container, actions } = parsed.data;
      const thread = { channel: container.channel_id, ts: container.message_ts };
      const recordId = actions[0]?.value ?? '';
      const key = recordId.slice(0, recordId.lastIndexOf('#'));
      const agent = handoff.findAgentByHandle('slack', user.id);
      if (!agent) {
        await tellUser(thread, user.id, {
          code: 'KEFU_ERR_AGENT_UNKNOWN',
          message: `You are not set up as a kefu agent. Add "handles": {"slack": "${user.id}"} to your entry in AGENTS_FILE.`,
        });
        return;
      }
      void handoff.heartbeat(agent.id, 'slack');
      const current = key ? await handoff.get(key) : undefined;
      if (!current || current.id !== recordId) {
        await tellUser(thread, user.id, { code: 'KEFU_ERR_HANDOFF_RESOLVED', message: 'This escalation has already ended.' });
        return;
      }
      try {
        const r = await handoff.claim(key, agent.id);
        if (!r.ok) await tellUser(thread, user.id, r);
      } catch (err) {
        const coded = asCodedError(err);
        log.error({ code: coded.code }, 'slack claim failed');
        await tellUser(thread, user.id, { code: coded.code, message: 'kefu could not record the claim; press Claim again.' });
      }
    },
  };
}

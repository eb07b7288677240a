/**
 * Support staff answer escalations in Slack. Each escalation opens one thread in the support
 * channel (summary, last turns, a Claim button); customer messages (and what agents write at the
 * console) arrive as thread replies, posted again after a restart if Slack had not taken them; what
 * staff write in the thread goes back through the handoff service: replies are relayed to the
 * customer (text, shared files as attachments), `resolve`, `claim`, `transfer …`, and notes
 * (`note:` / `//`, never relayed). A refused action is answered in the thread, never dropped.
 * @example
 * const agents = createSlackAgentChannel({ slack, supportChannel: 'C0123456789', handoff: service });
 * service.addAgentChannel(agents);
 */
import { createSequentializer, KefuError, type LaneLeases, type Logger, silentLogger } from '../../core';
import type { AgentChannel, AgentView, HandoffEvent, HandoffRecord, HandoffService } from '../../plugins/handoff';
import { createAgentActions } from './agent-actions';
import { postSlaAlert, type SlaAlert, slaAlertOf } from './agent-alerts';
import { createTicketThreads, isTicketEvent } from './agent-tickets';
import { type AgentLabel, CLAIM_ACTION, renderEventLine, renderRoot, type SlackPost } from './agent-render';
import { createThreadRelay, type RelayMark, SLACK_DESK } from './agent-relay';
import { createThreadRegistry, type Thread, threadKey } from './agent-threads';
import { classifySlackError } from './errors';
import type { SlackChannel } from './index';
import { createOutbox, type GivenUp, type Outbox } from './outbox';

export interface SlackAgentChannelOptions {
  /** The customer-side Slack channel: the agent side shares its bolt App (one Slack app, one Request URL). */
  slack: Pick<SlackChannel, 'app' | 'reserveForAgents'>;
  /** ID of the support channel (C… or G…), SLACK_SUPPORT_CHANNEL. The bot must be a member. */
  supportChannel: string;
  /** Where supervisor alerts (a missed first-response target) are posted at the top level, SLACK_ALERTS_CHANNEL; default the support channel. */
  alertsChannel?: string;
  handoff: HandoffService;
  log?: Logger;
  /** Outbox retry waits for thread posts Slack would not take (default 30 s, 2 min, 10 min, 30 min). */
  outboxRetryDelaysMs?: readonly number[];
  /** Multi-instance mode: leases shared by the instances, so a start's catch-up posts each missed message once. */
  leases?: LaneLeases;
  /** How often thread lines (customer messages, console replies and notes) the outbox gave up on are posted again (default 5 min). */
  relayRetryMs?: number;
}

const RELAY_RETRY_MS = 5 * 60_000;

/** One message to a support thread (or, for `alert`, about it at the top level of the alerts channel). */
export type ThreadPost =
  /** `relay`: the transcript message a post carries (agent-relay.ts moves the thread's cursor once Slack took it). */
  | { kind: 'post'; post: SlackPost; relay?: RelayMark }
  | { kind: 'update'; post: SlackPost }
  | { kind: 'ephemeral'; user: string; post: SlackPost }
  | { kind: 'alert'; alert: SlaAlert };

export interface SlackAgentChannel extends AgentChannel {
  /** `flush` retries every parked post now (tests, shutdown), and posts again the thread lines given up on. */
  readonly outbox: { readonly pending: number; flush(): Promise<void>; readonly givenUp: readonly GivenUp<Thread, ThreadPost>[] };
  /**
   * Posts the lines (customer messages, console replies and notes) an open escalation's thread
   * missed (a restart during a Slack outage, or a crash right after the message's commit); resolves
   * to how many. Call once at start.
   */
  catchUp(): Promise<number>;
  /** Resolves when every staff action and thread post so far has settled. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

function checkChannelId(name: string, id: string): void {
  if (/^[CG][A-Z0-9]{2,}$/.test(id)) return;
  throw new KefuError('KEFU_ERR_CONFIG_INVALID', `${name} must be a channel ID such as C0123456789 (open the channel's details; the ID is at the bottom), not "${id}".`, {
    details: [`${name}: must be a Slack channel ID (got "${id}")`],
  });
}

export function createSlackAgentChannel(opts: SlackAgentChannelOptions): SlackAgentChannel {
  checkChannelId('SLACK_SUPPORT_CHANNEL', opts.supportChannel);
  if (opts.alertsChannel) checkChannelId('SLACK_ALERTS_CHANNEL', opts.alertsChannel);
  const { app } = opts.slack;
  const { handoff, supportChannel } = opts;
  const alertsChannel = opts.alertsChannel ?? supportChannel;
  const log = (opts.log ?? silentLogger).child({ agentChannel: 'slack' });
  opts.slack.reserveForAgents(supportChannel);
  opts.slack.reserveForAgents(alertsChannel); // staff talk there is not a customer's
  const threads = createThreadRegistry(handoff, supportChannel, log);
  const sequentialize = createSequentializer();
  const tasks = new Set<Promise<unknown>>();
  const track = (task: Promise<unknown>) => {
    tasks.add(task);
    void task.finally(() => tasks.delete(task)).catch(() => undefined);
  };

  const outbox: Outbox<Thread, ThreadPost> = createOutbox<Thread, ThreadPost>({
    log,
    keyOf: threadKey,
    classify: (err) => classifySlackError(err, 'chat.postMessage'),
    ...(opts.outboxRetryDelaysMs ? { retryDelaysMs: opts.outboxRetryDelaysMs } : {}),
    onGiveUp: (_thread, item) => {
      if (item.kind === 'post' && item.relay) relay.givenUp(item.relay); // posted again later: a thread line is never dropped
    },
    async deliverOne(thread, item) {
      if (item.kind === 'alert') return postSlaAlert(app.client, alertsChannel, thread, item.alert);
      const { text, blocks } = item.post;
      const content = { text, ...(blocks ? { blocks } : {}) };
      if (item.kind === 'update') {
        await app.client.chat.update({ channel: thread.channel, ts: thread.ts, ...content });
      } else if (item.kind === 'ephemeral') {
        try {
          await app.client.chat.postEphemeral({ channel: thread.channel, user: item.user, thread_ts: thread.ts, ...content });
        } catch (err) {
          if (classifySlackError(err, 'chat.postEphemeral').transient) throw err;
          // Not in the channel, or ephemeral refused: say it in the thread instead, so it is not lost.
          await app.client.chat.postMessage({ channel: thread.channel, thread_ts: thread.ts, text: `<@${item.user}> ${text}`, unfurl_links: false });
        }
      } else {
        await app.client.chat.postMessage({ channel: thread.channel, thread_ts: thread.ts, unfurl_links: false, ...content });
        if (item.relay) await relay.taken(item.relay);
      }
    },
  });
  const send = (thread: Thread, item: ThreadPost) => outbox.send(thread, [item]);
  const relay = createThreadRelay({ handoff, threads, send, label: () => agentLabel(), log, ...(opts.leases ? { leases: opts.leases } : {}) });
  const retryTimer = setInterval(() => void relay.retryGivenUp(), opts.relayRetryMs ?? RELAY_RETRY_MS);
  retryTimer.unref();

  async function agentLabel(): Promise<AgentLabel> {
    const views: AgentView[] = await handoff.agents();
    return (id) => {
      const a = views.find((v) => v.id === id);
      if (!a) return id ?? 'nobody';
      return a.handles?.slack ? `<@${a.handles.slack}>` : a.name;
    };
  }

  /** The escalation's thread, opening it (summary + Claim) when it has none yet. */
  async function ensureThread(record: HandoffRecord, label: AgentLabel): Promise<Thread> {
    const known = await threads.forRecord(record);
    if (known) return known;
    const root = renderRoot(record, label);
    const res = await app.client.chat.postMessage({ channel: supportChannel, text: root.text, ...(root.blocks ? { blocks: root.blocks } : {}), unfurl_links: false });
    if (typeof res.ts !== 'string') throw new KefuError('KEFU_ERR_CHANNEL_SEND_FAILED', 'Slack chat.postMessage returned no ts for the escalation thread.');
    const thread = { channel: typeof res.channel === 'string' ? res.channel : supportChannel, ts: res.ts };
    await threads.save(record, thread);
    return thread;
  }

  const tickets = createTicketThreads({ app, handoff, supportChannel, log, send });
  const actions = createAgentActions({
    tickets,
    app,
    handoff,
    supportChannel,
    log,
    threads,
    sequentialize,
    track,
    reply: (thread, item) => send(thread, item),
  });

  async function onEvent(event: HandoffEvent): Promise<void> {
    if (isTicketEvent(event)) return tickets.onEvent(event, await agentLabel());
    if (!('record' in event)) return; // agent status is not shown in Slack
    if (event.type === 'handoff.queue_changed') return;
    // Written in a thread: Slack shows it already.
    if ((event.type === 'handoff.agent_message' || event.type === 'handoff.note') && event.desk === SLACK_DESK) return;
    const label = await agentLabel();
    const live = event.type !== 'handoff.csat' && event.type !== 'handoff.resolved' && event.type !== 'handoff.cancelled';
    const thread = live ? await ensureThread(event.record, label) : await threads.forRecord(event.record);
    if (!thread) return;
    if (event.type === 'handoff.initiated') return;
    const line = renderEventLine(event, label);
    // Lines of transcript messages go through the relay: read back after a restart if Slack did not take them.
    const fromTranscript = event.type === 'handoff.customer_message' || event.type === 'handoff.agent_message' || event.type === 'handoff.note';
    if (line && fromTranscript) await relay.relayLive(event.record, thread, event.seq, line);
    else if (line) await send(thread, { kind: 'post', post: line });
    if (!live) relay.forget(event.record.id);
    if (event.type === 'handoff.sla_breached') await send(thread, { kind: 'alert', alert: slaAlertOf(event, label) }); // after the thread line, so the link finds it
    if (event.type !== 'handoff.customer_message' && event.type !== 'handoff.note' && event.type !== 'handoff.agent_message') {
      const current = event.type === 'handoff.csat' ? event.record : ((await handoff.get(event.key)) ?? event.record);
      await send(thread, { kind: 'update', post: renderRoot(current.id === event.record.id ? current : event.record, label) });
    }
  }

  app.action({ type: 'block_actions', action_id: CLAIM_ACTION }, async ({ ack, body }) => {
    await ack();
    await actions.onClaim(body);
  });
  app.event('message', async ({ body, context }) => {
    await actions.onStaffMessage(body, typeof context.botUserId === 'string' ? context.botUserId : undefined);
  });

  return {
    name: 'slack',
    outbox: {
      get pending() {
        return outbox.pending;
      },
      get givenUp() {
        return outbox.givenUp;
      },
      /** Retries every parked post now, then posts again the thread lines given up on. */
      async flush() {
        await outbox.flush();
        await relay.retryGivenUp();
      },
    },
    onEvent: (event) => sequentialize(`event:${'key' in event ? event.key : event.type}`, () => onEvent(event)),
    catchUp: () => relay.catchUp((key, task) => sequentialize(`event:${key}`, task)),
    async idle() {
      for (;;) {
        await sequentialize.idle();
        if (!tasks.size) break;
        await Promise.allSettled([...tasks]);
      }
    },
    async stop() {
      clearInterval(retryTimer);
      await this.idle();
      await outbox.stop();
    },
  };
}

/**
 * The Slack agent side wired for tests: the demo dialogs on a real engine with the handoff plugin,
 * a recording customer channel ('test'), the Slack channel and agent channel against the local
 * Slack Web API server, staff messages POSTed as signed Slack events.
 */
import { createSlackAgentChannel, type SlackAgentChannel } from '../../adapters/slack/agent';
import { createEngine, createMemoryData, type Engine, type LaneLeases, type Repositories } from '../../core';
import { type AgentProfile, createHandoff, type HandoffOptions, type HandoffService } from '../../plugins/handoff';
import { demoDialogs } from '../../dialogs';
import { createTestClassifier, RecordingChannel } from '../handoff/support';
import { blockActionPayload, nextSlackTs } from './slack-events';
import { type SlackRig, startSlackRig } from './slack-rig';
import type { LocalSlackServer, PostedMessage } from './slack-server';

export const SUPPORT = 'C0SUPPORT';

/** Everyone away: escalations wait in the queue until someone claims them. */
export const SLACK_TEAM: AgentProfile[] = [
  { id: 'anna', name: 'Anna', skills: ['orders', 'general'], languages: ['en'], capacity: 2, status: 'away', handles: { slack: 'UANNA' } },
  { id: 'bob', name: 'Bob', skills: ['refunds'], languages: ['en'], capacity: 2, status: 'away', handles: { slack: 'UBOB' } },
  { id: 'wang', name: '王芳', skills: ['refunds', 'orders'], languages: ['zh'], capacity: 2, status: 'away' },
];

export interface AgentRig {
  engine: Engine;
  service: HandoffService;
  customers: RecordingChannel;
  slack: LocalSlackServer;
  rig: SlackRig;
  agents: SlackAgentChannel;
  /** The customer (on the recording channel) says something; resolves when everything settled. */
  say(conversationId: string, text: string): Promise<void>;
  /** A staff member writes in a support thread (or top-level when `threadTs` is undefined). */
  staff(user: string, text: string, threadTs: string | undefined, extra?: Record<string, unknown>): Promise<{ status: number; ts: string }>;
  claim(user: string, root: PostedMessage): Promise<number>;
  /** Opening messages of escalation threads in the support channel. */
  roots(): PostedMessage[];
  thread(ts: string): PostedMessage[];
  settle(): Promise<void>;
  close(): Promise<void>;
}

let seq = 0;

export interface AgentRigOptions {
  data?: Repositories;
  slack?: LocalSlackServer;
  agents?: AgentProfile[];
  /** More handoff options (targets, a clock). */
  handoff?: Omit<HandoffOptions, 'agents'>;
  /** SLACK_ALERTS_CHANNEL (default: the support channel). */
  alertsChannel?: string;
  /** Leases shared with other instances (multi-instance mode). */
  leases?: LaneLeases;
}

export async function startAgentRig(o: AgentRigOptions = {}): Promise<AgentRig> {
  const data = o.data ?? createMemoryData();
  const engine = createEngine({ classifier: createTestClassifier(), dialogs: demoDialogs, data, retryDelaysMs: [60_000] });
  const customers = new RecordingChannel('test');
  engine.addChannel(customers);
  const { service, plugin } = createHandoff({ ...o.handoff, agents: o.agents ?? SLACK_TEAM });
  await engine.register(plugin, undefined);
  const rig = await startSlackRig(engine, { ...(o.slack ? { existing: o.slack } : {}), channel: { lookupUsers: false } });
  engine.addChannel(rig.channel);
  const agents = createSlackAgentChannel({
    slack: rig.channel,
    supportChannel: SUPPORT,
    ...(o.alertsChannel ? { alertsChannel: o.alertsChannel } : {}),
    handoff: service,
    outboxRetryDelaysMs: [60_000],
    ...(o.leases ? { leases: o.leases } : {}),
  });
  service.addAgentChannel(agents);
  const settle = async () => {
    for (let i = 0; i < 3; i++) {
      await rig.channel.idle();
      await service.idle();
      await agents.idle();
    }
  };
  return {
    engine,
    service,
    customers,
    slack: rig.slack,
    rig,
    agents,
    async say(conversationId, text) {
      seq += 1;
      await engine.handle({ channel: 'test', conversationId, userId: `u-${conversationId}`, platformMessageId: `slack-agent-${seq}`, text });
      await settle();
    },
    async staff(user, text, threadTs, extra = {}) {
      const ts = nextSlackTs();
      const event = { type: 'message', channel: SUPPORT, channel_type: 'channel', user, text, ts, ...(threadTs ? { thread_ts: threadTs } : {}), ...extra };
      const res = await rig.events.postEvent(event);
      await settle();
      return { status: res.status, ts };
    },
    async claim(user, root) {
      const payload = blockActionPayload({ user, channel: SUPPORT, message: root, actionId: 'kefu_claim', value: claimValue(root), label: 'Claim' });
      const res = await rig.events.postInteraction(payload);
      await settle();
      return res.status;
    },
    roots: () => rig.slack.messages(SUPPORT).filter((m) => !m.thread_ts),
    thread: (ts) => rig.slack.messages(SUPPORT).filter((m) => m.thread_ts === ts),
    settle,
    async close() {
      await settle();
      await agents.stop();
      await engine.close();
      await rig.close();
    },
  };
}

/** The record id the Claim button of a root message carries ('' when it has none). */
export function claimValue(root: PostedMessage): string {
  for (const block of root.blocks as Array<{ type?: string; elements?: Array<{ action_id?: string; value?: string }> }>) {
    const claim = block.type === 'actions' ? block.elements?.find((e) => e.action_id === 'kefu_claim') : undefined;
    if (claim?.value) return claim.value;
  }
  return '';
}

/** All the text of a posted message, blocks included (what a person sees). */
export function visibleText(m: PostedMessage): string {
  return [m.text, JSON.stringify(m.blocks)].join('\n');
}

/**
 * Supervisor alerts at the top level of a channel (the support channel, or SLACK_ALERTS_CHANNEL):
 * a missed first-response target is also posted outside its thread, so supervisors who follow no
 * thread see it. The post names the tier, the wait, the target and the assignee, and links to the
 * conversation's thread; it carries no customer text and no customer name (the thread has them).
 */
import type { types } from '@slack/bolt';
import type { HandoffEvent } from '../../plugins/handoff';
import type { AgentLabel, SlackPost } from './agent-render';
import type { Thread } from './agent-threads';
import { classifySlackError } from './errors';
import { escapeSlackText } from './render';

export type SlaBreach = Extract<HandoffEvent, { type: 'handoff.sla_breached' }>;

/** What the alert says, fixed when the event arrives (the thread's link is looked up when it is sent). */
export interface SlaAlert {
  level: SlaBreach['level'];
  waitedMs: number;
  targetMs: number;
  /** The assignee as Slack shows them (a mention or a name); undefined while the conversation waits in the queue. */
  assignee?: string;
  skill: string;
}

/** The slice of the Web API an alert needs. */
export interface AlertClient {
  chat: {
    getPermalink(args: { channel: string; message_ts: string }): Promise<{ permalink?: string }>;
    postMessage(args: { channel: string; text: string; blocks: types.KnownBlock[]; unfurl_links: false }): Promise<unknown>;
  };
}

export function slaAlertOf(e: SlaBreach, agent: AgentLabel): SlaAlert {
  return { level: e.level, waitedMs: e.waitedMs, targetMs: e.targetMs, skill: e.record.skill, ...(e.agentId ? { assignee: agent(e.agentId) } : {}) };
}

const secondsOf = (ms: number) => Math.round(ms / 1000);

/** The top-level post: a loud header line, the figures, and a link to the thread (its permalink, else its ts). */
export function renderSlaAlert(a: SlaAlert, thread: Thread, permalink: string | undefined): SlackPost {
  const who = a.assignee ? `with ${a.assignee}` : 'still waiting in the queue';
  const link = permalink ? `<${permalink}|Open the conversation's thread>` : `Thread: <#${thread.channel}>, ts ${thread.ts}`;
  const text = `:rotating_light: SLA breached (${a.level} tier): no ${a.level} reply after ${secondsOf(a.waitedMs)} s (target ${secondsOf(a.targetMs)} s), ${who}.`;
  return {
    text,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: `🚨 First-response SLA breached · ${a.level} tier`, emoji: true } },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: `*Waited*\n${secondsOf(a.waitedMs)} s` },
          { type: 'mrkdwn', text: `*Target*\n${secondsOf(a.targetMs)} s` },
          { type: 'mrkdwn', text: `*Assignee*\n${a.assignee ?? '_nobody yet: in the queue_'}` },
          { type: 'mrkdwn', text: `*Skill*\n${escapeSlackText(a.skill)}` },
        ],
      },
      { type: 'section', text: { type: 'mrkdwn', text: `${link} · supervisors, please step in.` } },
    ],
  };
}

/** The thread's permalink, or undefined when Slack will not give one (the alert then names the ts). */
async function permalinkOf(client: AlertClient, thread: Thread): Promise<string | undefined> {
  try {
    const res = await client.chat.getPermalink({ channel: thread.channel, message_ts: thread.ts });
    return typeof res.permalink === 'string' && res.permalink.startsWith('https://') ? res.permalink : undefined;
  } catch (err) {
    if (classifySlackError(err, 'chat.getPermalink').transient) throw err; // the outbox tries the whole alert again
    return undefined;
  }
}

/** Posts the alert at the top level of `channel`; throws what Slack refused (the outbox decides whether to retry). */
export async function postSlaAlert(client: AlertClient, channel: string, thread: Thread, alert: SlaAlert): Promise<void> {
  const post = renderSlaAlert(alert, thread, await permalinkOf(client, thread));
  await client.chat.postMessage({ channel, text: post.text, blocks: post.blocks ?? [], unfurl_links: false });
}

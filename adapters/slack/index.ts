/**
 * The Slack channel on @slack/bolt: Events API over HTTP (direct messages and app mentions),
 * replies in thread, quick replies as Block Kit buttons, button presses as `payload` messages.
 * One Slack app, one Request URL (`webhookPath`) for events and interactivity; the agent side
 * (agent.ts) listens on the same bolt `App`.
 * @example
 * const slack = createSlackChannel({ token: process.env.SLACK_BOT_TOKEN, signingSecret: process.env.SLACK_SIGNING_SECRET });
 * engine.addChannel(slack);
 * await slack.start(engine); // auth.test: throws KEFU_ERR_CHANNEL_AUTH on a bad token
 */
import { App, type webApi } from '@slack/bolt';
import { type ConversationRef, createChannelRuntime, KefuError, type Logger, type OutboundMessage, type SendVerdict, silentLogger, type WebhookChannel } from '../../core';
import { classifySlackError, type SlackFailure } from './errors';
import { normalizeBlockAction, normalizeSlackEvent, QUICK_REPLY_ACTION, SLACK_CHANNEL } from './normalize';
import { createSlackReceiver } from './receiver';
import { renderMessage, renderPressed, type SlackTarget } from './render';
import { createSdkLogger } from './sdk-logger';
import { createTurnRunner } from './turns';
import { createUserDirectory } from './users';

export interface SlackChannelOptions {
  /** Bot User OAuth Token (`xoxb-…`), SLACK_BOT_TOKEN. */
  token: string;
  /** Signing Secret from the app's Basic Information page, SLACK_SIGNING_SECRET. */
  signingSecret: string;
  /** Web API base URL (SLACK_API_URL); default https://slack.com/api/. */
  apiUrl?: string;
  /** Where server/ mounts the Request URL (default `/webhooks/slack`). */
  webhookPath?: string;
  log?: Logger;
  now?: () => number;
  /** See receiver.ts (default 2000 ms). */
  ackBudgetMs?: number;
  /** The WebClient's retries of 5xx/network errors (429s always wait for Retry-After). */
  retryConfig?: webApi.RetryOptions;
  /** Re-run waits for turns that failed after Slack got its 200 (see turns.ts). */
  turnRetryDelaysMs?: readonly number[];
  /** Ask `users.info` for each customer's language and name (needs `users:read`; default true). */
  lookupUsers?: boolean;
}

export interface SlackChannel extends WebhookChannel {
  /** The bolt app (agent.ts registers its listeners on it). */
  readonly app: App;
  /** Turns given up after every retry. */
  readonly turnsGivenUp: number;
  /** Marks a channel (the support channel) as the agent side's: its messages and mentions are not customer turns. */
  reserveForAgents(channelId: string): void;
  /** Resolves when every accepted request, turn and send so far has settled (tests, shutdown). */
  idle(): Promise<void>;
}

/** Production defaults: about a minute of retries with backoff for 5xx and network errors. */
const DEFAULT_RETRY: webApi.RetryOptions = { retries: 5, factor: 2, minTimeout: 1000, maxTimeout: 30_000, randomize: true };

export function targetOf(ref: ConversationRef): SlackTarget {
  const [channelPart, threadPart] = ref.conversationId.split(':');
  const channel = ref.address?.channel ?? channelPart ?? ref.conversationId;
  const thread = ref.address?.thread_ts ?? threadPart;
  return { channel, ...(thread ? { thread_ts: thread } : {}) };
}

export function createSlackChannel(opts: SlackChannelOptions): SlackChannel {
  const log = (opts.log ?? silentLogger).child({ channel: SLACK_CHANNEL });
  const now = opts.now ?? Date.now;
  const receiver = createSlackReceiver({ signingSecret: opts.signingSecret, log, now, ...(opts.ackBudgetMs !== undefined ? { ackBudgetMs: opts.ackBudgetMs } : {}) });
  const apiUrl = opts.apiUrl ? (opts.apiUrl.endsWith('/') ? opts.apiUrl : `${opts.apiUrl}/`) : undefined;
  const app = new App({
    token: opts.token,
    receiver,
    deferInitialization: true,
    convoStore: false,
    logger: createSdkLogger(log),
    clientOptions: { ...(apiUrl ? { slackApiUrl: apiUrl } : {}), retryConfig: opts.retryConfig ?? DEFAULT_RETRY, rejectRateLimitedCalls: false, timeout: 15_000 },
  });
  const tasks = new Set<Promise<unknown>>();
  const track = (task: Promise<unknown>) => {
    tasks.add(task);
    void task.finally(() => tasks.delete(task)).catch(() => undefined);
  };
  /** Posts messages in order; the WebClient retries 429s and 5xx itself, what still fails throws SlackRefused (the engine's outbox keeps it). */
  const post = async (ref: ConversationRef, messages: readonly OutboundMessage[]) => {
    for (const m of messages) {
      try {
        await app.client.chat.postMessage(renderMessage(m, targetOf(ref)));
      } catch (err) {
        throw new SlackRefused(classifySlackError(err, 'chat.postMessage'));
      }
    }
  };
  const runtime = createChannelRuntime({ name: SLACK_CHANNEL, quickReplies: 'buttons', send: post, classifySendError: verdictOf }, { log, now });
  const agentChannels = new Set<string>();
  const turns = createTurnRunner({
    runtime,
    tell: (ref, message) => post(ref, [message]),
    ...(opts.lookupUsers === false ? {} : { users: createUserDirectory({ client: app.client, log, now }) }),
    log,
    now,
    delivery: receiver.delivery,
    track,
    ...(opts.turnRetryDelaysMs ? { retryDelaysMs: opts.turnRetryDelaysMs } : {}),
  });

  const onEvent = async ({ body, context }: { body: unknown; context: { botUserId?: string; kefuDelivery?: unknown } }) => {
    const normalized = normalizeSlackEvent(body, { agentChannels, ...(context.botUserId ? { botUserId: context.botUserId } : {}) });
    if (!normalized.ok) {
      log.debug({ reason: normalized.error }, 'slack event ignored');
      return;
    }
    await turns.run(normalized.value, context.kefuDelivery);
  };
  app.event('message', onEvent);
  app.event('app_mention', onEvent);
  app.action({ type: 'block_actions', action_id: new RegExp(`^${QUICK_REPLY_ACTION}:`) }, async ({ ack, body, context }) => {
    await ack();
    const normalized = normalizeBlockAction(body);
    if (!normalized.ok) {
      log.warn({ reason: normalized.error }, 'slack action ignored');
      return;
    }
    track(markPressed(body, normalized.value.text ?? ''));
    await turns.run(normalized.value, context.kefuDelivery);
  });
  app.error(async (err) => {
    log.error({ code: 'KEFU_ERR_INTERNAL', sdkCode: err.code, errName: err.name }, 'slack listener failed');
  });

  /** Replaces the pressed buttons with the chosen label, so they cannot be pressed twice. Best effort. */
  async function markPressed(body: unknown, label: string): Promise<void> {
    const b = body as { container?: { channel_id?: unknown; message_ts?: unknown }; message?: { text?: unknown; blocks?: unknown } };
    const channel = b.container?.channel_id;
    const ts = b.container?.message_ts;
    if (typeof channel !== 'string' || typeof ts !== 'string' || !Array.isArray(b.message?.blocks)) return;
    const text = typeof b.message?.text === 'string' && b.message.text ? b.message.text : label;
    try {
      await app.client.chat.update({ channel, ts, text, blocks: renderPressed(b.message.blocks, label) });
    } catch (err) {
      const failure = classifySlackError(err, 'chat.update');
      log.warn({ code: failure.error.code, reason: failure.reason }, 'slack could not mark the pressed button');
    }
  }

  return {
    ...runtime.channel,
    webhookPath: opts.webhookPath ?? '/webhooks/slack',
    app,
    get turnsGivenUp() {
      return turns.givenUp;
    },
    reserveForAgents: (channelId) => void agentChannels.add(channelId),
    handleWebhook: (req) => receiver.handle(req),
    async start(engine) {
      try {
        await app.init();
      } catch (err) {
        throw classifySlackError(err, 'auth.test').error;
      }
      runtime.attach(engine);
      await app.start();
      log.info({}, 'slack channel started');
    },
    async stop() {
      await app.stop();
      turns.stop();
      while (tasks.size) await Promise.allSettled([...tasks]);
      await runtime.idle();
      runtime.attach(undefined);
    },
    async idle() {
      for (;;) {
        await receiver.idle();
        if (!tasks.size) break;
        await Promise.allSettled([...tasks]);
      }
    },
  };
}

/** What Slack's refusal means for the outbox: transient ones wait and are retried, the rest are kept as failed. */
function verdictOf(err: unknown): SendVerdict {
  if (!(err instanceof SlackRefused)) return { kind: 'retry', code: 'KEFU_ERR_CHANNEL_SEND_FAILED' };
  return err.transient ? { kind: 'retry', code: err.code } : { kind: 'permanent', code: err.code };
}

/** A message Slack did not take (after the WebClient's own retries), with whether trying later may help. */
export class SlackRefused extends KefuError {
  readonly transient: boolean;
  readonly reason: string;
  constructor(failure: SlackFailure) {
    super(failure.error.code, failure.error.message, { cause: failure.error });
    this.transient = failure.transient;
    this.reason = failure.reason;
  }
}

/** True for the channel `createSlackChannel` returns (the agent side needs its bolt App). */
export function isSlackChannel(channel: { name: string }): channel is SlackChannel {
  const c = channel as Partial<SlackChannel>;
  return channel.name === SLACK_CHANNEL && c.app instanceof App && typeof c.reserveForAgents === 'function';
}

export { createSlackAgentChannel, type SlackAgentChannel, type SlackAgentChannelOptions } from './agent';
export { parseAgentCommand } from './agent-commands';
export { classifySlackError } from './errors';
export { isDirectChannel, normalizeBlockAction, normalizeSlackEvent, SLACK_CHANNEL, slackTextToPlain } from './normalize';
export { parseSlackRequest } from './parse-request';
export { escapeSlackText, renderMessage } from './render';
export { signSlackRequest, verifySlackSignature } from './verify';

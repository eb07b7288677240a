/**
 * The Slack channel wired as in production, for tests: the local Slack Web API server, the channel
 * (real bolt App and WebClient pointed at it), its webhook mounted by server/routes/webhooks.ts on
 * Fastify at 127.0.0.1:0, and a sender that POSTs signed Slack requests to it.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { createSlackChannel, type SlackChannel, type SlackChannelOptions } from '../../adapters/slack';
import type { Channel, TurnHandler } from '../../core';
import { webhookRoutes } from '../../server/routes/webhooks';
import { createSlackEventSender, type SlackEventSender } from './slack-events';
import { type LocalSlackServer, startSlackServer } from './slack-server';

export const TEST_SIGNING_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';

/** Fast retries so tests do not wait on production backoff (429s still wait for Retry-After). */
export const FAST_RETRY = { retries: 3, factor: 1, minTimeout: 10, maxTimeout: 20, randomize: false };

export interface SlackRig {
  slack: LocalSlackServer;
  channel: SlackChannel;
  events: SlackEventSender;
  http: FastifyInstance;
  /** The Request URL Slack would call. */
  url: string;
  close(): Promise<void>;
}

export async function startSlackRig(
  engine: (TurnHandler & { addChannel?(channel: Channel): unknown }) | undefined,
  opts: { channel?: Partial<SlackChannelOptions>; server?: Parameters<typeof startSlackServer>[0]; start?: boolean; existing?: LocalSlackServer } = {},
): Promise<SlackRig> {
  // An existing server (a "restart" of kefu against the same Slack) is left open on close().
  const slack = opts.existing ?? (await startSlackServer(opts.server));
  const channel = createSlackChannel({
    token: slack.token,
    signingSecret: TEST_SIGNING_SECRET,
    apiUrl: slack.apiUrl,
    retryConfig: FAST_RETRY,
    turnRetryDelaysMs: [20, 50],
    ...opts.channel,
  });
  const http = Fastify({ logger: false });
  await http.register(webhookRoutes, { channels: [channel] });
  await http.listen({ port: 0, host: '127.0.0.1' });
  const address = http.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}${channel.webhookPath}`;
  engine?.addChannel?.(channel); // replies leave through the engine's outbox
  if (engine && opts.start !== false) await channel.start?.(engine);
  const events = createSlackEventSender({ url, signingSecret: TEST_SIGNING_SECRET, teamId: slack.teamId, botUserId: slack.botUserId });
  return {
    slack,
    channel,
    events,
    http,
    url,
    async close() {
      await channel.idle();
      await channel.stop?.();
      await http.close();
      if (!opts.existing) await slack.close();
    },
  };
}

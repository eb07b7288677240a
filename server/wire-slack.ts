/**
 * The Slack channel from config: on when SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are set.
 * SLACK_API_URL points the Web API elsewhere (tests, proxies). Mount: `channel.webhookPath`
 * (`/webhooks/slack`) is the Request URL for Event Subscriptions and Interactivity.
 * The agent side (support staff answering escalations in threads) is on when SLACK_SUPPORT_CHANNEL
 * is set as well; it shares the channel's bolt App and Request URL.
 * @example
 * const channels = await buildPlatformChannels(config, log); // CHANNEL_WIRINGS includes { name: 'slack', wire: wireSlack }
 * const agents = wireSlackAgents(config, channels, handoff.service, log);
 * if (!('off' in agents)) handoff.service.addAgentChannel(agents); else log.info({}, `slack agents off: ${agents.off}`);
 *
 * The adapter (and @slack/bolt with it, about a third of a second of start-up) loads only when
 * Slack is configured.
 */
import type { SlackAgentChannel, SlackChannel } from '../adapters/slack';
import { classifySlackError } from '../adapters/slack/errors';
import { SLACK_CHANNEL } from '../adapters/slack/normalize';
import type { Channel, Config, LaneLeases, Logger } from '../core';
import type { HandoffService } from '../plugins/handoff';
import type { ChannelWiring } from './channels';
import type { SlackPoster } from './reports/daily-slack';

// require, not import(): kefu's modules are CommonJS, and import() of a .ts path needs tsx's ESM hooks
// (absent under `node --require tsx/cjs`). Loaded once, then from the require cache.
const loadSlack = (): typeof import('../adapters/slack') => require('../adapters/slack');

/** The running Slack channel among `channels` (the adapter is loaded if it is there). */
function slackChannelIn(channels: readonly Channel[]): SlackChannel | undefined {
  const found = channels.find((c) => c.name === SLACK_CHANNEL);
  if (!found) return undefined;
  const { isSlackChannel } = loadSlack();
  return isSlackChannel(found) ? found : undefined;
}

export const wireSlack: ChannelWiring = async (config, log) => {
  const missing = [!config.SLACK_BOT_TOKEN && 'SLACK_BOT_TOKEN', !config.SLACK_SIGNING_SECRET && 'SLACK_SIGNING_SECRET'].filter(Boolean);
  if (!config.SLACK_BOT_TOKEN || !config.SLACK_SIGNING_SECRET) return { off: `set ${missing.join(' and ')} to enable` };
  const { createSlackChannel } = loadSlack();
  return createSlackChannel({
    token: config.SLACK_BOT_TOKEN,
    signingSecret: config.SLACK_SIGNING_SECRET,
    ...(config.SLACK_API_URL ? { apiUrl: config.SLACK_API_URL } : {}),
    log,
  });
};

/** Support staff on Slack: needs the Slack channel running and SLACK_SUPPORT_CHANNEL (a channel ID). */
export function wireSlackAgents(
  config: Readonly<Config>,
  channels: readonly Channel[],
  handoff: HandoffService,
  log: Logger,
  leases?: LaneLeases,
): SlackAgentChannel | { off: string } {
  if (!config.SLACK_SUPPORT_CHANNEL) return { off: 'set SLACK_SUPPORT_CHANNEL (a channel ID such as C0123456789) to answer escalations in Slack' };
  const slack = slackChannelIn(channels);
  if (!slack) return { off: 'SLACK_SUPPORT_CHANNEL is set but the Slack channel is off; set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET' };
  const { createSlackAgentChannel } = loadSlack();
  return createSlackAgentChannel({
    slack,
    supportChannel: config.SLACK_SUPPORT_CHANNEL,
    ...(config.SLACK_ALERTS_CHANNEL ? { alertsChannel: config.SLACK_ALERTS_CHANNEL } : {}),
    handoff,
    log,
    ...(leases ? { leases } : {}),
  });
}

/** The Web API call the daily Slack report makes, and the channel it posts to (SLACK_ALERTS_CHANNEL, else SLACK_SUPPORT_CHANNEL). */
export function wireSlackReportPoster(config: Readonly<Config>, channels: readonly Channel[]): { slack: SlackPoster; channel: string } | { off: string } {
  const channel = config.SLACK_ALERTS_CHANNEL ?? config.SLACK_SUPPORT_CHANNEL;
  if (!channel) return { off: 'set SLACK_ALERTS_CHANNEL or SLACK_SUPPORT_CHANNEL (a channel ID) to post the daily report' };
  const slack = slackChannelIn(channels);
  if (!slack) return { off: 'the Slack channel is off; set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET' };
  return {
    channel,
    slack: {
      async postMessage(args) {
        try {
          await slack.app.client.chat.postMessage(args);
        } catch (err) {
          throw classifySlackError(err, 'chat.postMessage').error;
        }
      },
    },
  };
}

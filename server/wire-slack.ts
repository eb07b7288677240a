/**
 * The Slack channel from config: on when SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are set.
 * SLACK_API_URL points the Web API elsewhere (tests, proxies). Mount: `channel.webhookPath`
 * (`/webhooks/slack`) is the Request URL for Event Subscriptions and Interactivity.
 */
import { createSlackChannel } from '../adapters/slack';
import type { ChannelWiring } from './channels';

export const wireSlack: ChannelWiring = async (config, log) => {
  const missing = [!config.SLACK_BOT_TOKEN && 'SLACK_BOT_TOKEN', !config.SLACK_SIGNING_SECRET && 'SLACK_SIGNING_SECRET'].filter(Boolean);
  if (!config.SLACK_BOT_TOKEN || !config.SLACK_SIGNING_SECRET) return { off: `set ${missing.join(' and ')} to enable` };
  return createSlackChannel({
    token: config.SLACK_BOT_TOKEN,
    signingSecret: config.SLACK_SIGNING_SECRET,
    ...(config.SLACK_API_URL ? { apiUrl: config.SLACK_API_URL } : {}),
    log,
  });
};

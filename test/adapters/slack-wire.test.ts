/** server/wire-slack.ts: config → channels, and the Slack channel inside buildApp (the real composition root). */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isSlackChannel, type SlackChannel } from '../../adapters/slack';
import { createMemoryData, isKefuError, loadConfig, silentLogger } from '../../core';
import { createHandoff } from '../../plugins/handoff';
import { demoDialogs } from '../../dialogs';
import { buildApp } from '../../server/app';
import { wireSlack, wireSlackAgents } from '../../server/wire-slack';
import { createKeywordClassifier } from '../support/keyword-classifier';
import { createSlackEventSender, dmEvent } from '../support/slack-events';
import { TEST_SIGNING_SECRET } from '../support/slack-rig';
import { startSlackServer } from '../support/slack-server';

describe('slack wiring', function () {
  this.timeout(20_000);
  const env = (extra: Record<string, string> = {}) => ({ SLACK_BOT_TOKEN: 'xoxb-test-token', SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET, ...extra });

  it('stays off until both SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are set, and says which', async () => {
    assert.deepEqual(await wireSlack(loadConfig({}), silentLogger), { off: 'set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET to enable' });
    assert.deepEqual(await wireSlack(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1' }), silentLogger), { off: 'set SLACK_SIGNING_SECRET to enable' });
    const channel = await wireSlack(loadConfig(env()), silentLogger);
    assert.ok(!('off' in channel) && isSlackChannel(channel));
    assert.equal(channel.webhookPath, '/webhooks/slack');
  });

  it('turns the agent side on only with SLACK_SUPPORT_CHANNEL and a running Slack channel', async () => {
    const { service } = createHandoff();
    const slack = (await wireSlack(loadConfig(env()), silentLogger)) as SlackChannel;
    assert.match(String((wireSlackAgents(loadConfig(env()), [slack], service, silentLogger) as { off: string }).off), /set SLACK_SUPPORT_CHANNEL/);
    assert.match(String((wireSlackAgents(loadConfig({ SLACK_SUPPORT_CHANNEL: 'C0SUPPORT' }), [], service, silentLogger) as { off: string }).off), /Slack channel is off/);
    assert.throws(
      () => wireSlackAgents(loadConfig(env({ SLACK_SUPPORT_CHANNEL: '#support' })), [slack], service, silentLogger),
      (err: unknown) => isKefuError(err, 'KEFU_ERR_CONFIG_INVALID') && /channel ID/.test(err.message),
    );
    const agents = wireSlackAgents(loadConfig(env({ SLACK_SUPPORT_CHANNEL: 'C0SUPPORT' })), [slack], service, silentLogger);
    assert.equal('off' in agents ? agents.off : agents.name, 'slack');
  });

  it('answers a signed Slack DM through buildApp: webhook mounted, demo dialog, reply posted', async () => {
    const slackApi = await startSlackServer();
    const dataDir = mkdtempSync(join(tmpdir(), 'kefu-slack-app-'));
    const config = loadConfig(env({ SLACK_API_URL: slackApi.apiUrl, DATA_DIR: dataDir, WEB_CHAT_ENABLED: 'false' }));
    const slack = (await wireSlack(config, silentLogger)) as SlackChannel;
    const app = await buildApp(config, { dialogs: demoDialogs, channels: [slack], classifier: createKeywordClassifier(), data: createMemoryData(), logger: silentLogger });
    try {
      await app.http.listen({ port: 0, host: '127.0.0.1' });
      const address = app.http.server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      const events = createSlackEventSender({ url: `http://127.0.0.1:${port}/webhooks/slack`, signingSecret: TEST_SIGNING_SECRET });
      assert.equal((await events.postEvent(dmEvent({ text: 'where is my order?' }))).status, 200);
      const [call] = await slackApi.waitFor('chat.postMessage', 1);
      assert.match(String(call?.args.text), /order number/);
      assert.equal(call?.args.channel, 'D0CUSTOMER');
    } finally {
      await app.close();
      await slackApi.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

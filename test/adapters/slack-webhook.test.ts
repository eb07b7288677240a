/**
 * The Slack Request URL over real HTTP: what it accepts, what it refuses (with which code), and
 * that refused or ignored requests never reach the engine.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger, type Engine, type InboundMessage, isKefuError, type TurnHandler } from '../../core';
import { dmEvent, mentionEvent } from '../support/slack-events';
import { type SlackRig, startSlackRig, TEST_SIGNING_SECRET } from '../support/slack-rig';
import { createConformanceEngine } from './conformance';

function counting(inner: Engine): TurnHandler & Pick<Engine, 'addChannel'> & { seen: InboundMessage[] } {
  const seen: InboundMessage[] = [];
  return {
    seen,
    addChannel: (c) => inner.addChannel(c),
    handle(m) {
      seen.push(m);
      return inner.handle(m);
    },
  };
}

describe('slack webhook', function () {
  this.timeout(20_000);
  let engine: Engine;
  let handler: ReturnType<typeof counting>;
  let rig: SlackRig;
  const logLines: string[] = [];

  beforeEach(async () => {
    logLines.length = 0;
    engine = createConformanceEngine();
    handler = counting(engine);
    const sink = new Writable({
      write(chunk, _enc, done) {
        logLines.push(String(chunk));
        done();
      },
    });
    rig = await startSlackRig(handler, { channel: { log: createLogger('debug', sink) } });
  });
  afterEach(async () => {
    await rig.close();
    await engine.close();
  });

  const errorCode = (body: string) => (JSON.parse(body) as { error: { code: string } }).error.code;

  it('answers the url_verification challenge', async () => {
    const res = await rig.events.postRaw(JSON.stringify({ token: 't', challenge: 'ch4ll3nge', type: 'url_verification' }), 'application/json');
    assert.equal(res.status, 200);
    assert.deepEqual(JSON.parse(res.body), { challenge: 'ch4ll3nge' });
  });

  it('refuses unsigned, forged and stale requests with 401 and processes nothing', async () => {
    const body = JSON.stringify({ type: 'event_callback', event_id: 'EvX', team_id: 'T0001', event: dmEvent({ text: 'forged' }) });
    const unsigned = await rig.events.postRaw(body, 'application/json', { sign: false });
    const forged = await rig.events.postRaw(body, 'application/json', { secret: 'guess' });
    const stale = await rig.events.postRaw(body, 'application/json', { timestampSeconds: Math.floor(Date.now() / 1000) - 6 * 60 });
    for (const res of [unsigned, forged, stale]) {
      assert.equal(res.status, 401);
      assert.equal(errorCode(res.body), 'KEFU_ERR_ADAPTER_SIGNATURE');
    }
    assert.match(JSON.parse(stale.body).error.message, /more than 5 minutes/);
    await rig.channel.idle();
    assert.equal(handler.seen.length, 0);
    assert.equal(rig.slack.attempts('chat.postMessage'), 0);
  });

  it('answers malformed bodies with 400/415/405/413 and a coded error', async () => {
    const bad = await rig.events.postRaw('{"type":"event_callback",', 'application/json');
    assert.equal(bad.status, 400);
    assert.equal(errorCode(bad.body), 'KEFU_ERR_ADAPTER_PAYLOAD');
    const noEvent = await rig.events.postRaw(JSON.stringify({ type: 'event_callback', event_id: 'Ev1' }), 'application/json');
    assert.equal(noEvent.status, 400);
    assert.match(JSON.parse(noEvent.body).error.message, /event/);
    const command = await rig.events.postRaw('command=%2Fkefu&text=hi', 'application/x-www-form-urlencoded');
    assert.equal(command.status, 400);
    const text = await rig.events.postRaw('hello', 'text/plain');
    assert.equal(text.status, 415);
    assert.equal(errorCode(text.body), 'KEFU_ERR_HTTP_CONTENT_TYPE');
    const get = await rig.events.postRaw('', 'application/json', { method: 'GET' });
    assert.equal(get.status, 405);
    assert.equal(errorCode(get.body), 'KEFU_ERR_HTTP_METHOD');
    const huge = JSON.stringify({ type: 'event_callback', event_id: 'EvBig', event: dmEvent({ text: 'x'.repeat(1_100_000) }) });
    const big = await rig.events.postRaw(huge, 'application/json');
    assert.equal(big.status, 413);
    await rig.channel.idle();
    assert.equal(handler.seen.length, 0);
  });

  it('answers 503 KEFU_ERR_CHANNEL_NOT_STARTED before start, so Slack retries', async () => {
    const idle = await startSlackRig(undefined);
    try {
      const res = await idle.events.postEvent(dmEvent({ text: 'early' }));
      assert.equal(res.status, 503);
      assert.equal(errorCode(res.body), 'KEFU_ERR_CHANNEL_NOT_STARTED');
      const challenge = await idle.events.postRaw(JSON.stringify({ type: 'url_verification', challenge: 'c' }), 'application/json');
      assert.equal(challenge.status, 200, 'url_verification works before start (Slack checks the URL while you configure it)');
    } finally {
      await idle.close();
    }
  });

  it('refuses to start with a token Slack does not accept (KEFU_ERR_CHANNEL_AUTH)', async () => {
    const wrong = await startSlackRig(undefined, { channel: { token: 'xoxb-revoked' } });
    try {
      await assert.rejects(wrong.channel.start?.(engine) ?? Promise.resolve(), (err) => isKefuError(err, 'KEFU_ERR_CHANNEL_AUTH') && /invalid_auth/.test(err.message));
      assert.equal(wrong.slack.attempts('auth.test'), 1);
    } finally {
      await wrong.close();
    }
  });

  it('answers a channel mention in its thread, without the mention in the text', async () => {
    const ts = '1700200000.000100';
    const res = await rig.events.postEvent(mentionEvent({ channel: 'C0PUBLIC', text: 'hello team', ts, botUserId: rig.slack.botUserId }));
    assert.equal(res.status, 200);
    const [call] = await rig.slack.waitFor('chat.postMessage', 1);
    assert.deepEqual([call?.args.channel, call?.args.thread_ts, call?.args.text], ['C0PUBLIC', ts, 'You said: hello team']);
    assert.equal(handler.seen[0]?.conversationId, `C0PUBLIC:${ts}`);
  });

  it('ignores edits, deletions, other bots, its own posts and channel chatter', async () => {
    const ignored = [
      dmEvent({ subtype: 'message_changed', text: '', message: { text: 'edited', user: 'UCUSTOMER' }, previous_message: { text: 'old' } }),
      dmEvent({ subtype: 'message_deleted', text: '' }),
      dmEvent({ text: 'I am a bot', bot_id: 'BOTHER', subtype: 'bot_message' }),
      dmEvent({ text: 'You said: hi', user: rig.slack.botUserId, bot_id: rig.slack.botId }),
      dmEvent({ channel: 'C0PUBLIC', channel_type: 'channel', text: 'lunch?' }),
    ];
    for (const event of ignored) assert.equal((await rig.events.postEvent(event)).status, 200);
    await rig.channel.idle();
    assert.equal(handler.seen.length, 0);
    assert.equal(rig.slack.attempts('chat.postMessage'), 0);
  });

  it('logs ids and codes but never the message text, names or the signing secret', async () => {
    rig.slack.setUser({ id: 'UCUSTOMER', real_name: 'Zhang Wei', locale: 'zh-CN' });
    await rig.events.postEvent(dmEvent({ text: 'my secret address is 42 Elm Street' }));
    await rig.slack.waitFor('chat.postMessage', 1);
    await rig.events.postRaw('{}', 'application/json', { secret: 'nope' });
    await rig.channel.idle();
    const all = logLines.join('');
    assert.ok(logLines.length > 0, 'the channel logged something');
    for (const secret of ['42 Elm Street', 'Zhang Wei', TEST_SIGNING_SECRET, rig.slack.token]) assert.ok(!all.includes(secret), `log contains ${secret}`);
  });
});

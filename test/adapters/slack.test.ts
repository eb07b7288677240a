/**
 * The Slack adapter through the shared conformance suite: real bolt App and WebClient, the
 * adapter's webhook on Fastify, signed Events API / interactive requests in, the local Slack Web
 * API server out.
 */
import assert from 'node:assert/strict';
import type { TurnHandler } from '../../core';
import { blockActionPayload, dmEvent, type SentRequest } from '../support/slack-events';
import { startSlackRig } from '../support/slack-rig';
import { buttonFor, type PostedMessage, seen } from '../support/slack-server';
import { type AdapterHarness, runAdapterConformance } from './conformance';

async function startHarness(engine: TurnHandler): Promise<AdapterHarness> {
  const rig = await startSlackRig(engine);
  rig.slack.setUser({ id: 'UCUSTOMER', real_name: 'Casey Customer', locale: 'en-US' });
  let last: SentRequest | undefined;
  const expectOk = (status: number) => assert.equal(status, 200, `Slack request answered ${status}`);
  const post = async (event: Record<string, unknown>, eventId?: string) => {
    const res = await rig.events.postEvent(event, eventId ? { eventId } : {});
    expectOk(res.status);
    last = res.request;
  };
  // What the bot sent, as posted (later chat.update calls that remove pressed buttons do not count).
  const sent = () => rig.slack.calls('chat.postMessage').map((c) => seen(toPosted(c.args)));
  return {
    sendText: (text, opts) => post(dmEvent({ text }), opts?.id),
    sendImage: () =>
      post(
        dmEvent({
          subtype: 'file_share',
          text: '',
          files: [
            { id: 'F0IMAGE', name: 'photo.png', mimetype: 'image/png', filetype: 'png', url_private: 'https://files.slack.com/files-pri/T0001-F0IMAGE/photo.png', mode: 'hosted' },
          ],
        }),
      ),
    // A message shared into the DM without a comment: no text, no files, only a legacy attachment.
    sendUnknown: () => post(dmEvent({ text: '', attachments: [{ is_share: true, is_msg_unfurl: true, fallback: '[shared message]', ts: '1699999999.000100' }] })),
    async pressQuickReply(payload) {
      const { message, actionId, label } = buttonFor(rig.slack.messages(), payload);
      const res = await rig.events.postInteraction(blockActionPayload({ channel: message.channel, message, actionId, value: payload, label }));
      expectOk(res.status);
    },
    async sendWithBadSignature(text) {
      const body = JSON.stringify({ type: 'event_callback', event_id: 'EvFORGED', team_id: 'T0001', event: dmEvent({ text }) });
      return (await rig.events.postRaw(body, 'application/json', { secret: 'not-the-signing-secret' })).status;
    },
    async redeliverLast() {
      if (!last) throw new Error('nothing delivered yet');
      expectOk((await rig.events.redeliver(last, 1)).status);
    },
    sent,
    async waitForSent(count) {
      await rig.slack.waitFor('chat.postMessage', count);
      return sent();
    },
    failSends: (status, times, retryAfterSeconds) => rig.slack.fail('chat.postMessage', status, times, retryAfterSeconds),
    sendAttempts: () => rig.slack.attempts('chat.postMessage'),
    close: () => rig.close(),
  };
}

function toPosted(args: Record<string, unknown>): PostedMessage {
  return { channel: String(args.channel), ts: '', text: String(args.text ?? ''), blocks: Array.isArray(args.blocks) ? args.blocks : [] };
}

runAdapterConformance('slack', startHarness);

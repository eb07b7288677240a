/**
 * The Slack adapter through the shared conformance suite: real bolt App and WebClient, the
 * adapter's webhook on Fastify, signed Events API / interactive requests in, the local Slack Web
 * API server out.
 */
import assert from 'node:assert/strict';
import type { TurnHandler } from '../../core';
import { blockActionPayload, dmEvent, type SentRequest } from '../support/slack-events';
import { startSlackRig } from '../support/slack-rig';
import type { PostedMessage } from '../support/slack-server';
import { type AdapterHarness, runAdapterConformance, type SentMessage } from './conformance';

/** What the customer sees of a posted message: text (unescaped), button labels, images. */
export function seen(m: PostedMessage): SentMessage {
  const blocks = m.blocks as Array<{ type?: string; elements?: Array<{ type?: string; text?: { text?: string } }> }>;
  const buttons = blocks.filter((b) => b.type === 'actions').flatMap((b) => (b.elements ?? []).filter((e) => e.type === 'button').map((e) => e.text?.text ?? ''));
  const image = blocks.some((b) => b.type === 'image');
  return { text: m.text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'), buttons, ...(image ? { image } : {}) };
}

/** Finds the posted message carrying a button with this payload. */
export function buttonFor(messages: PostedMessage[], payload: string): { message: PostedMessage; actionId: string; label: string } {
  for (const message of [...messages].reverse()) {
    for (const block of message.blocks as Array<{ type?: string; elements?: Array<{ action_id?: string; value?: string; text?: { text?: string } }> }>) {
      const el = block.type === 'actions' ? block.elements?.find((e) => e.value === payload) : undefined;
      if (el?.action_id) return { message, actionId: el.action_id, label: el.text?.text ?? '' };
    }
  }
  throw new Error(`no posted button with payload ${payload}`);
}

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
          files: [{ id: 'F0IMAGE', name: 'photo.png', mimetype: 'image/png', filetype: 'png', url_private: 'https://files.slack.com/files-pri/T0001-F0IMAGE/photo.png', mode: 'hosted' }],
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

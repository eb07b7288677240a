/** wechaty message facts → core messages, numbered quick-reply rendering, and the wiring: pure unit tests. */
import assert from 'node:assert/strict';
import { types } from 'wechaty';
import { normalizeWechatyMessage, type WechatyMessageFacts } from '../../adapters/wechaty/normalize';
import { renderText } from '../../adapters/wechaty/render';
import { isKefuError, loadConfig, parseInbound, silentLogger } from '../../core';
import { wireWechaty } from '../../server/wire-wechaty';

const facts = (over: Partial<WechatyMessageFacts> = {}): WechatyMessageFacts => ({
  id: 'm1',
  type: types.Message.Text,
  text: 'hello',
  talkerId: 'wxid_alice',
  talkerName: 'Alice',
  mentionedSelf: false,
  self: false,
  ageSeconds: 1,
  ...over,
});
const norm = (over: Partial<WechatyMessageFacts> = {}) => normalizeWechatyMessage(facts(over), { channel: 'wechaty', maxAgeSeconds: 300 });

describe('wechaty normalize', () => {
  it('turns a direct text into a valid core message keyed by the contact', () => {
    const n = norm();
    assert.equal(n.type, 'message');
    if (n.type !== 'message') return;
    assert.deepEqual(n.inbound, {
      channel: 'wechaty',
      conversationId: 'wxid_alice',
      userId: 'wxid_alice',
      platformMessageId: 'm1',
      address: { contactId: 'wxid_alice' },
      profile: { name: 'Alice' },
      kind: 'text',
      text: 'hello',
    });
    assert.doesNotThrow(() => parseInbound(n.inbound));
  });

  it('gives each group member a conversation of their own, and only when the bot is mentioned', () => {
    assert.deepEqual(norm({ roomId: '123@chatroom' }), { type: 'ignored', reason: 'room message without an @-mention of the bot' });
    const n = norm({ roomId: '123@chatroom', mentionedSelf: true });
    assert.ok(n.type === 'message');
    assert.equal(n.inbound.conversationId, '123@chatroom/wxid_alice');
    assert.deepEqual(n.inbound.address, { contactId: 'wxid_alice', roomId: '123@chatroom' });
  });

  it('maps images, marks other media unsupported, ignores system and recalled messages, own and old ones', () => {
    const image = norm({ type: types.Message.Image, text: '' });
    assert.ok(image.type === 'message' && image.inbound.kind === 'image' && image.inbound.attachments?.[0]?.mediaId === 'm1');
    for (const t of [types.Message.Audio, types.Message.Video, types.Message.Location, types.Message.Emoticon, types.Message.Url, types.Message.Attachment]) {
      const n = norm({ type: t });
      assert.ok(n.type === 'message' && n.inbound.kind === 'unsupported', types.Message[t]);
    }
    for (const t of [types.Message.Unknown, types.Message.Recalled]) assert.equal(norm({ type: t }).type, 'ignored');
    assert.equal(norm({ self: true }).type, 'ignored');
    assert.equal(norm({ ageSeconds: 301 }).type, 'ignored');
  });

  it('refuses malformed facts with a coded error naming the field', () => {
    assert.throws(
      () => normalizeWechatyMessage({ ...facts(), talkerId: '' }, { channel: 'wechaty', maxAgeSeconds: 300 }),
      (err: unknown) => isKefuError(err, 'KEFU_ERR_ADAPTER_PAYLOAD') && /talkerId/.test(err.message),
    );
    assert.throws(
      () => normalizeWechatyMessage('nope', { channel: 'wechaty', maxAgeSeconds: 300 }),
      (err: unknown) => isKefuError(err, 'KEFU_ERR_ADAPTER_PAYLOAD'),
    );
  });
});

describe('wechaty numbered quick replies', () => {
  it('renders numbered lines with a hint in the reply language', () => {
    const qr = [
      { label: '查订单', payload: 'intent:order.status' },
      { label: '退款', payload: 'intent:refund' },
    ];
    assert.equal(renderText({ text: '请选择', locale: 'zh', quickReplies: qr }), '请选择\n\n1. 查订单\n2. 退款\n请回复选项前的数字。');
    assert.equal(renderText({ text: 'Plain', locale: 'en' }), 'Plain');
  });
  // Typed numbers → payloads: core/numbered-menus.ts (test/core/numbered-menus.test.ts), one implementation for both WeChat flavours.
});

describe('wireWechaty', () => {
  it('is off without WECHATY_PUPPET and builds a channel with it', async () => {
    const off = await wireWechaty(loadConfig({}), silentLogger);
    assert.ok('off' in off && /WECHATY_PUPPET/.test(off.off));
    const on = await wireWechaty(loadConfig({ WECHATY_PUPPET: 'wechaty-puppet-mock', WECHATY_NAME: 'shop' }), silentLogger);
    assert.ok(!('off' in on) && on.name === 'wechaty');
  });
});

/** Telegram Update → InboundMessage: pure unit tests of adapters/telegram/normalize.ts. */
import assert from 'node:assert/strict';
import { createCallbackDataMap, type NormalizeContext, type NormalizedUpdate, normalizeUpdate } from '../../adapters/telegram';
import { isKefuError, MAX_TEXT_LENGTH } from '../../core';

const BOT = { id: 4242, username: 'kefu_test_bot' };
const ctx = (over: Partial<NormalizeContext> = {}): NormalizeContext => ({ bot: BOT, decodeCallbackData: (d) => d, startPayload: 'intent:greeting', ...over });
const ada = { id: 1001, is_bot: false, first_name: 'Ada', last_name: 'L', language_code: 'en' };
const privateChat = { id: 1001, type: 'private', first_name: 'Ada' };
const group = { id: -100500, type: 'supergroup', title: 'Shop fans' };
const msg = (fields: Record<string, unknown>, chat: object = privateChat, from: object = ada) => ({
  update_id: 77,
  message: { message_id: 5, date: 1_700_000_000, chat, from, ...fields },
});

function turn(u: NormalizedUpdate) {
  assert.equal(u.type, 'turn', `expected a turn, got ${JSON.stringify(u)}`);
  return u as Extract<NormalizedUpdate, { type: 'turn' }>;
}
function ignored(u: NormalizedUpdate): string {
  assert.equal(u.type, 'ignored', `expected ignored, got ${JSON.stringify(u)}`);
  return (u as Extract<NormalizedUpdate, { type: 'ignored' }>).reason;
}

describe('telegram normalize', () => {
  it('maps a private text message with ids, locale hint, address and time', () => {
    const t = turn(normalizeUpdate(msg({ text: 'where is my order' }, privateChat, { ...ada, language_code: 'zh-hans' }), ctx()));
    assert.deepEqual(t.inbound, {
      channel: 'telegram',
      conversationId: '1001',
      userId: '1001',
      platformMessageId: '77',
      address: { chatId: '1001', chatType: 'private' },
      locale: 'zh',
      profile: { name: 'Ada L' },
      kind: 'text',
      text: 'where is my order',
      attachments: [],
      receivedAt: 1_700_000_000_000,
    });
    assert.deepEqual(t.target, { chatId: '1001' });
  });

  it('gives no locale hint for languages kefu does not speak', () => {
    const t = turn(normalizeUpdate(msg({ text: 'hola' }, privateChat, { ...ada, language_code: 'es' }), ctx()));
    assert.equal(t.inbound.locale, undefined);
  });

  it('takes the largest photo size as the image and the caption as text', () => {
    const photo = [
      { file_id: 'small', file_unique_id: 's', width: 90, height: 60 },
      { file_id: 'big', file_unique_id: 'b', width: 1280, height: 960 },
      { file_id: 'mid', file_unique_id: 'm', width: 320, height: 240 },
    ];
    const t = turn(normalizeUpdate(msg({ photo, caption: 'broken on arrival' }), ctx()));
    assert.equal(t.inbound.kind, 'image');
    assert.equal(t.inbound.text, 'broken on arrival');
    assert.deepEqual(t.inbound.attachments, [{ kind: 'image', mediaId: 'big', mimeType: 'image/jpeg' }]);
  });

  it('maps documents to files, and image documents to images', () => {
    const pdf = turn(normalizeUpdate(msg({ document: { file_id: 'D1', file_unique_id: 'u', file_name: 'invoice.pdf', mime_type: 'application/pdf' } }), ctx()));
    assert.equal(pdf.inbound.kind, 'file');
    assert.deepEqual(pdf.inbound.attachments, [{ kind: 'file', mediaId: 'D1', name: 'invoice.pdf', mimeType: 'application/pdf' }]);
    const png = turn(normalizeUpdate(msg({ document: { file_id: 'D2', file_unique_id: 'u', file_name: 'shot.png', mime_type: 'image/png' } }), ctx()));
    assert.equal(png.inbound.kind, 'image');
    assert.equal(png.inbound.attachments?.[0]?.kind, 'image');
  });

  it('marks stickers, locations, voice and unknown content as unsupported', () => {
    for (const fields of [{ sticker: { file_id: 'S', type: 'regular' } }, { location: { latitude: 1, longitude: 2 } }, { some_future_content: { x: 1 } }]) {
      const t = turn(normalizeUpdate(msg(fields), ctx()));
      assert.equal(t.inbound.kind, 'unsupported', JSON.stringify(fields));
      assert.deepEqual(t.inbound.attachments, []);
    }
    const voice = turn(normalizeUpdate(msg({ voice: { file_id: 'V1', mime_type: 'audio/ogg', duration: 3 } }), ctx()));
    assert.equal(voice.inbound.kind, 'unsupported');
    assert.deepEqual(voice.inbound.attachments, [{ kind: 'audio', mediaId: 'V1', mimeType: 'audio/ogg' }]);
  });

  it('ignores service messages, bot senders, channel posts and other update types', () => {
    assert.match(ignored(normalizeUpdate(msg({ pinned_message: { message_id: 1 } }), ctx())), /service/);
    assert.match(ignored(normalizeUpdate(msg({ text: 'hi' }, privateChat, { id: 9, is_bot: true, first_name: 'Other bot' }), ctx())), /bot/);
    assert.match(ignored(normalizeUpdate(msg({ text: 'news' }, { id: -1009, type: 'channel' }), ctx())), /channel/);
    assert.match(ignored(normalizeUpdate({ update_id: 3, edited_message: { message_id: 1 } }, ctx())), /edited_message/);
  });

  it('turns /start into the greeting postback and strips the bot name from other commands', () => {
    const start = turn(normalizeUpdate(msg({ text: '/start promo42', entities: [{ type: 'bot_command', offset: 0, length: 6 }] }), ctx()));
    assert.equal(start.inbound.kind, 'postback');
    assert.equal(start.inbound.payload, 'intent:greeting');
    assert.equal(start.inbound.text, '');
    const help = turn(normalizeUpdate(msg({ text: '/help@kefu_test_bot now', entities: [{ type: 'bot_command', offset: 0, length: 19 }] }), ctx()));
    assert.equal(help.inbound.text, '/help now');
    assert.match(ignored(normalizeUpdate(msg({ text: '/start@other_bot', entities: [{ type: 'bot_command', offset: 0, length: 16 }] }), ctx())), /another bot/);
  });

  describe('in groups', () => {
    it('ignores messages not addressed to the bot', () => {
      assert.match(ignored(normalizeUpdate(msg({ text: 'anyone here?' }, group), ctx())), /not addressed/);
      assert.match(ignored(normalizeUpdate(msg({ text: 'ask @someone_else', entities: [{ type: 'mention', offset: 4, length: 13 }] }, group), ctx())), /not addressed/);
    });

    it('answers a mention, one conversation per member, without the mention in the text', () => {
      const text = '@kefu_test_bot where is my order';
      const t = turn(normalizeUpdate(msg({ text, entities: [{ type: 'mention', offset: 0, length: 14 }] }, group), ctx()));
      assert.equal(t.inbound.text, 'where is my order');
      assert.equal(t.inbound.conversationId, '-100500:1001');
      assert.deepEqual(t.target, { chatId: '-100500' });
    });

    it('answers a reply to the bot and keeps the forum topic', () => {
      const fields = {
        text: 'and the refund?',
        reply_to_message: { message_id: 3, from: { id: BOT.id, is_bot: true, first_name: 'Kefu' } },
        message_thread_id: 12,
        is_topic_message: true,
      };
      const t = turn(normalizeUpdate(msg(fields, { ...group, is_forum: true }), ctx()));
      assert.equal(t.inbound.conversationId, '-100500:12:1001');
      assert.deepEqual(t.target, { chatId: '-100500', threadId: '12' });
      assert.equal(t.inbound.address?.threadId, '12');
    });
  });

  describe('callback queries', () => {
    const keyboardMessage = (data: string) => ({
      message_id: 9,
      date: 1,
      chat: privateChat,
      from: { id: BOT.id, is_bot: true, first_name: 'Kefu' },
      text: 'Pick',
      reply_markup: { inline_keyboard: [[{ text: 'Orders', callback_data: data }]] },
    });
    const press = (data: string, message: object | null = keyboardMessage(data), from = ada) => ({
      update_id: 90,
      callback_query: { id: 'Q1', from, chat_instance: '-5', data, ...(message ? { message } : {}) },
    });

    it('become postbacks with the payload and the pressed label, and carry the query id to answer', () => {
      const t = turn(normalizeUpdate(press('intent:orders'), ctx()));
      assert.equal(t.inbound.kind, 'postback');
      assert.equal(t.inbound.payload, 'intent:orders');
      assert.equal(t.inbound.text, 'Orders');
      assert.equal(t.inbound.platformMessageId, '90');
      assert.deepEqual(t.callback, { id: 'Q1' });
    });

    it('resolve long payloads through the short-id map', () => {
      const map = createCallbackDataMap();
      const payload = `order:${'9'.repeat(120)}`;
      const data = map.encode(payload);
      assert.ok(Buffer.byteLength(data) <= 64);
      const t = turn(normalizeUpdate(press(data), ctx({ decodeCallbackData: map.decode })));
      assert.equal(t.inbound.payload, payload);
    });

    it('fall back to the label as text for a short id from before a restart, or answer "expired"', () => {
      const stale = createCallbackDataMap().encode('x'.repeat(100));
      const fresh = createCallbackDataMap();
      const t = turn(normalizeUpdate(press(stale), ctx({ decodeCallbackData: fresh.decode })));
      assert.equal(t.inbound.kind, 'text');
      assert.equal(t.inbound.text, 'Orders');
      const u = normalizeUpdate(press(stale, null, { ...ada, language_code: 'zh' }), ctx({ decodeCallbackData: fresh.decode }));
      assert.match(ignored(u), /expired/);
      assert.match(u.type === 'ignored' ? (u.callback?.text ?? '') : '', /按钮已失效/);
    });
  });

  it('cuts texts longer than the core limit and says by how much', () => {
    const t = turn(normalizeUpdate(msg({ text: 'a'.repeat(4096) }), ctx()));
    assert.equal(t.inbound.text?.length, MAX_TEXT_LENGTH);
    assert.equal(t.truncatedFrom, 4096);
  });

  it('rejects malformed updates with KEFU_ERR_ADAPTER_PAYLOAD naming the field', () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ message: { text: 'hi' } }, /update_id/],
      [{ update_id: 'seven' }, /update_id/],
      [{ update_id: 1, message: { message_id: 1, date: 1, text: 'no chat' } }, /message\.chat/],
      [[1, 2], /update/],
      [null, /update/],
    ];
    for (const [raw, field] of cases) {
      assert.throws(
        () => normalizeUpdate(raw, ctx()),
        (err: unknown) => isKefuError(err, 'KEFU_ERR_ADAPTER_PAYLOAD') && field.test(err.message),
        JSON.stringify(raw),
      );
    }
  });
});

/** OutboundMessage → Bot API calls, callback_data encoding and the secret check (pure unit tests). */
import assert from 'node:assert/strict';
import { createCallbackDataMap, renderOutbound, splitText, verifySecretToken } from '../../adapters/telegram';

const target = { chatId: '1001' };
const same = (p: string) => p;

describe('telegram render', () => {
  it('sends text with quick replies as an inline keyboard, payload as callback_data', () => {
    const calls = renderOutbound(
      {
        text: 'Pick a topic',
        locale: 'en',
        quickReplies: [
          { label: 'Orders', payload: 'intent:orders' },
          { label: 'Refunds', payload: 'intent:refund' },
        ],
      },
      target,
      same,
    );
    assert.deepEqual(calls, [
      {
        method: 'sendMessage',
        chatId: '1001',
        text: 'Pick a topic',
        extra: {
          reply_markup: {
            inline_keyboard: [[{ text: 'Orders', callback_data: 'intent:orders' }], [{ text: 'Refunds', callback_data: 'intent:refund' }]],
          },
        },
      },
    ]);
  });

  it('maps payloads over 64 bytes (counting UTF-8 bytes) to short ids that decode back', () => {
    const map = createCallbackDataMap();
    const zh = '订单'.repeat(11); // 22 characters, 66 bytes
    for (const payload of [zh, `order:${'1'.repeat(200)}`, '~kfake']) {
      const data = map.encode(payload);
      assert.ok(Buffer.byteLength(data) <= 64, data);
      assert.notEqual(data, payload);
      assert.equal(map.decode(data), payload);
    }
    assert.equal(map.encode('intent:orders'), 'intent:orders');
    assert.equal(map.decode('~kunknown'), undefined);
  });

  it('keeps the short-id map bounded, forgetting the least recently used', () => {
    const map = createCallbackDataMap(2);
    const a = map.encode('a'.repeat(70));
    const b = map.encode('b'.repeat(70));
    map.encode('a'.repeat(70)); // a used again
    map.encode('c'.repeat(70));
    assert.equal(map.size, 2);
    assert.equal(map.decode(b), undefined);
    assert.equal(map.decode(a), 'a'.repeat(70));
  });

  it('splits text over 4096 characters and puts the keyboard on the last part', () => {
    const text = `${'word '.repeat(1000)}\n${'more '.repeat(200)}`.trim();
    const calls = renderOutbound({ text, locale: 'en', quickReplies: [{ label: 'OK', payload: 'ok' }] }, target, same);
    assert.equal(calls.length, 2);
    for (const c of calls) assert.ok(c.method === 'sendMessage' && c.text.length <= 4096);
    assert.equal(calls[0]?.extra.reply_markup, undefined);
    assert.ok(calls[1]?.extra.reply_markup);
    const joined = calls.map((c) => (c.method === 'sendMessage' ? c.text : '')).join(' ');
    assert.equal(joined.replace(/\s+/g, ' '), text.replace(/\s+/g, ' '));
  });

  it('never splits a surrogate pair', () => {
    const chunks = splitText(`${'x'.repeat(9)}😀${'y'.repeat(5)}`, 10);
    assert.deepEqual(chunks, ['x'.repeat(9), `😀${'y'.repeat(5)}`]);
  });

  it('sends one image with a short text as a captioned photo with the keyboard', () => {
    const calls = renderOutbound(
      { text: 'Your parcel', locale: 'en', attachments: [{ kind: 'image', url: 'https://cdn.example.com/p.jpg' }], quickReplies: [{ label: 'Thanks', payload: 'intent:thanks' }] },
      { chatId: '-100', threadId: '12' },
      same,
    );
    assert.deepEqual(calls, [
      {
        method: 'sendPhoto',
        chatId: '-100',
        photo: 'https://cdn.example.com/p.jpg',
        extra: { message_thread_id: 12, caption: 'Your parcel', reply_markup: { inline_keyboard: [[{ text: 'Thanks', callback_data: 'intent:thanks' }]] } },
      },
    ]);
  });

  it('sends media first, then the text, when the text is too long for a caption; files as documents', () => {
    const calls = renderOutbound(
      { text: 'z'.repeat(1500), locale: 'en', attachments: [{ kind: 'image', mediaId: 'AgAC1' }, { kind: 'file', url: 'https://cdn.example.com/invoice.pdf' }, { kind: 'file' }] },
      target,
      same,
    );
    assert.deepEqual(
      calls.map((c) => c.method),
      ['sendPhoto', 'sendDocument', 'sendMessage'],
    );
    assert.equal(calls[0]?.method === 'sendPhoto' && calls[0].photo, 'AgAC1');
  });
});

describe('telegram verify', () => {
  it('accepts exactly the configured secret', () => {
    assert.equal(verifySecretToken('s3cret_token-1', 's3cret_token-1'), true);
    assert.equal(verifySecretToken('s3cret_token-2', 's3cret_token-1'), false);
    assert.equal(verifySecretToken('s3cret', 's3cret_token-1'), false);
    assert.equal(verifySecretToken('', 's3cret_token-1'), false);
    assert.equal(verifySecretToken(undefined, 's3cret_token-1'), false);
    assert.equal(verifySecretToken('', ''), false);
  });
});

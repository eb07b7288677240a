import assert from 'node:assert/strict';
import { isKefuError, LOCALES, slot } from '../../core';
import { demoDialogs, demoIntents } from '../../dialogs';
import { createOrderBook, dayPhrase, demoOrders, describeItems, formatMoney } from '../../dialogs/data/orders';
import { plausibleIntents } from '../../dialogs/fallback';
import { findOrderNumber, orderNumberSlot } from '../../dialogs/order-number';
import { refundReference } from '../../dialogs/refund-state';
import { MAIN_TOPICS } from '../../dialogs/topics';
import { NOW } from './demo-engine';

const input = (text: string, extra: { payload?: string; entities?: { type: string; value: string }[]; locale?: 'en' | 'zh' } = {}) => ({
  text,
  payload: extra.payload,
  entities: (extra.entities ?? []).map((e) => ({ ...e, text: e.value, start: 0, end: e.value.length })),
  locale: extra.locale ?? ('en' as const),
});

describe('demo order book', () => {
  it('loads the twelve sample orders with every status', () => {
    assert.equal(demoOrders.size, 12);
    const statuses = new Set(['100234', '100235', '100236', '100237'].map((no) => demoOrders.find(no)?.status));
    assert.deepEqual([...statuses].sort(), ['cancelled', 'delivered', 'processing', 'shipped']);
  });

  it('rejects malformed data with a coded error naming the field', () => {
    const bad = { currency: 'CNY', orders: [{ orderNo: '100001', status: 'shipped', placedDaysAgo: 1, total: 10, items: [{ name: { en: 'A', zh: '甲' }, qty: 1 }] }] };
    assert.throws(
      () => createOrderBook(bad),
      (err: unknown) => isKefuError(err) && err.code === 'KEFU_ERR_DIALOG_DATA_INVALID' && /orders\.0\.shipment/.test(err.message),
    );
    assert.throws(() => createOrderBook({ currency: 'CNY', orders: [{ ...bad.orders[0], orderNo: '12' }] }), /orders\.0\.orderNo: must be 6 digits/);
  });

  it('rejects an order number listed twice', () => {
    const order = {
      orderNo: '100001',
      status: 'processing',
      placedDaysAgo: 0,
      total: 10,
      email: 'a@example.com',
      phone: '+86 138 0000 0001',
      items: [{ name: { en: 'A', zh: '甲' }, qty: 1 }],
    };
    assert.throws(() => createOrderBook({ currency: 'CNY', orders: [order, order] }), /100001 appears twice/);
  });

  it('formats items, money and days in both languages', () => {
    const order = demoOrders.find('100236');
    assert.ok(order);
    assert.equal(describeItems(order, 'en'), 'Ceramic bedside lamp ×1, Warm-white LED bulbs (4-pack) ×1');
    assert.equal(describeItems(order, 'zh'), '陶瓷床头灯 ×1、暖白光LED灯泡（4只装） ×1');
    assert.equal(formatMoney(1280), '¥1,280');
    assert.equal(formatMoney(12.5), '¥12.5');
    assert.deepEqual(
      [-1, 0, 1].map((d) => dayPhrase(NOW, d, 'en')),
      ['yesterday', 'today', 'tomorrow'],
    );
    assert.equal(dayPhrase(NOW, -5, 'en'), 'on Saturday 22 November');
    assert.equal(dayPhrase(NOW, 2, 'zh'), '11月29日周六');
    assert.equal(dayPhrase(NOW, 1, 'zh'), '明天');
  });
});

describe('order-number slot', () => {
  const spec = orderNumberSlot('ask');

  it('prefers the NLU entity, else a 6-digit run in the text', () => {
    assert.equal(findOrderNumber(input('the first one', { entities: [{ type: 'orderNumber', value: '100236' }] })), '100236');
    assert.equal(findOrderNumber(input('订单100234到哪了')), '100234');
    assert.equal(findOrderNumber(input('call 13812345678')), undefined, 'an 11-digit phone number is not an order number');
    assert.equal(findOrderNumber(input('1002345')), undefined);
  });

  it('accepts any well-formed number (existence is checked by the dialog) and rejects others', async () => {
    assert.deepEqual(await spec.validate(input('it is 100234')), { ok: true, value: '100234' });
    assert.deepEqual(await spec.validate(input('999999')), { ok: true, value: '999999' });
    assert.deepEqual(await spec.validate(input('12')), { ok: false, error: 'badOrderNo' });
    assert.deepEqual(await spec.validate(input('no idea')), { ok: false, error: 'badOrderNo' });
  });
});

describe('choice slot (core), as the demo uses it', () => {
  const confirm = slot.choice(
    [
      { value: 'no', label: 'n', synonyms: { en: ['not now'] } },
      { value: 'yes', label: 'y' },
    ],
    { prompt: 'ask', invalid: 'bad' },
  );
  const cases: Array<[string, 'en' | 'zh', string | undefined]> = [
    ['yes', 'en', 'yes'],
    ['Yes please!', 'en', 'yes'],
    ['sure thing', 'en', 'yes'],
    ['not now, thanks', 'en', 'no'],
    ['yesterday', 'en', undefined],
    ['好的', 'zh', 'yes'],
    ['是的，提交吧', 'zh', 'yes'],
    ['不好', 'zh', 'no'],
    ['算了吧', 'zh', 'no'],
    ['随便', 'zh', undefined],
  ];
  for (const [text, locale, want] of cases) {
    it(`reads "${text}" as ${want ?? 'no answer'}`, async () => {
      const r = await confirm.validate(input(text, { locale }));
      assert.deepEqual(r, want ? { ok: true, value: want } : { ok: false, error: 'bad' });
    });
  }

  it('takes a pressed button first and offers buttons by label key', async () => {
    assert.deepEqual(await confirm.validate(input('', { payload: 'no' })), { ok: true, value: 'no' });
    assert.deepEqual(confirm.buttons, [
      { payload: 'no', label: 'n' },
      { payload: 'yes', label: 'y' },
    ]);
  });
});

describe('demo dialogs', () => {
  it('label every dialog in both languages', () => {
    for (const d of demoDialogs) for (const l of LOCALES) assert.ok(d.label?.[l], `${d.id} has no ${l} label`);
  });

  it('offer only topics that some dialog handles', () => {
    for (const t of [...MAIN_TOPICS, 'agent.request']) assert.ok(demoIntents.includes(t), `${t} has no dialog`);
  });

  it('pick at most two plausible, labelled, non-small-talk intents for "did you mean"', () => {
    const ranking = [
      { intent: 'None', score: 0.6 },
      { intent: 'greeting', score: 0.5 },
      { intent: 'faq.payment', score: 0.3 },
      { intent: 'no.dialog', score: 0.25 },
      { intent: 'faq.hours', score: 0.2 },
      { intent: 'faq.returns', score: 0.16 },
      { intent: 'cancel', score: 0.1 },
    ];
    assert.deepEqual(
      plausibleIntents(ranking, (i) => i !== 'no.dialog'),
      ['faq.payment', 'faq.hours'],
    );
    assert.deepEqual(
      plausibleIntents(
        [
          { intent: 'cancel', score: 0.6 },
          { intent: 'faq.hours', score: 0.14 },
        ],
        () => true,
      ),
      [],
    );
  });

  it('make refund references from the order and the turn', () => {
    const a = refundReference('100236', 'turn-a');
    assert.match(a, /^RF-100236-[0-9A-Z]{4}$/);
    assert.equal(refundReference('100236', 'turn-a'), a);
    assert.notEqual(refundReference('100236', 'turn-b'), a);
  });
});

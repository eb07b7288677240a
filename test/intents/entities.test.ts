import assert from 'node:assert/strict';
import type { Entity } from '../../core';
import { findAmounts, findDates, findEmails, findEntities, findOrderNumbers, findPhones, parseZhNumber } from '../../intents/entities';

const values = (es: Entity[]) => es.map((e) => e.value);
// Wednesday 5 March 2025, 10:00 UTC
const ctx = { now: new Date('2025-03-05T10:00:00Z'), timeZone: 'UTC' };

describe('intents: entities', () => {
  it('order numbers: bare 6 digits, after # or a marker, not inside longer numbers', () => {
    assert.deepEqual(values(findOrderNumbers('where is 100234?')), ['100234']);
    assert.deepEqual(values(findOrderNumbers('order #100234 and #100235')), ['100234', '100235']);
    assert.deepEqual(values(findOrderNumbers('订单号100234')), ['100234']);
    assert.deepEqual(values(findOrderNumbers('订单：100234，谢谢')), ['100234']);
    assert.deepEqual(values(findOrderNumbers('order no. 5567')), ['5567']);
    assert.deepEqual(values(findOrderNumbers('call 13812345678 or 1002345')), []);
    assert.deepEqual(values(findOrderNumbers('it costs 12.50 on 3/5')), []);
    const [e] = findOrderNumbers('my order #100234 is late');
    assert.deepEqual(e, { type: 'orderNumber', value: '100234', text: '100234', start: 10, end: 16 });
  });

  it('amounts with currency in en and zh', () => {
    const cases: Array<[string, Array<[number, string]>]> = [
      ['it cost $25', [[25, 'USD']]],
      ['I paid 25 dollars', [[25, 'USD']]],
      ['US$ 1,200.50 total', [[1200.5, 'USD']]],
      [
        'refund 30.5 euros and £5',
        [
          [30.5, 'EUR'],
          [5, 'GBP'],
        ],
      ],
      ['¥30', [[30, 'CNY']]],
      ['￥88.8', [[88.8, 'CNY']]],
      ['退我30元', [[30, 'CNY']]],
      ['三十块', [[30, 'CNY']]],
      ['才三块五', [[3.5, 'CNY']]],
      ['两百元钱', [[200, 'CNY']]],
      ['一百美元', [[100, 'USD']]],
      ['100 rmb', [[100, 'CNY']]],
      ['order 100234 please', []],
    ];
    for (const [text, want] of cases) {
      assert.deepEqual(
        values(findAmounts(text)),
        want.map(([amount, currency]) => ({ amount, currency })),
        text,
      );
    }
    const [e] = findAmounts('pay ¥30 now');
    assert.equal(e?.text, '¥30');
    assert.equal('pay ¥30 now'.slice(e?.start, e?.end), '¥30');
  });

  it('Chinese numerals', () => {
    const cases: Array<[string, number | undefined]> = [
      ['三十', 30],
      ['十五', 15],
      ['一百零五', 105],
      ['两千五', 2500],
      ['三百二', 320],
      ['一万二', 12000],
      ['五万', 50000],
      ['十二点五', 12.5],
      ['42', 42],
      ['', undefined],
      ['点五', undefined],
      ['三x', undefined],
    ];
    for (const [text, want] of cases) assert.equal(parseZhNumber(text), want, text);
  });

  it('dates relative to an injected now, en and zh', () => {
    const cases: Array<[string, string]> = [
      ['tomorrow', '2025-03-06'],
      ['today', '2025-03-05'],
      ['yesterday', '2025-03-04'],
      ['the day after tomorrow', '2025-03-07'],
      ['next Monday', '2025-03-10'],
      ['this Friday', '2025-03-07'],
      ['on monday', '2025-03-10'],
      ['Wednesday', '2025-03-05'],
      ['3/5', '2025-03-05'],
      ['12/25', '2025-12-25'],
      ['March 10th', '2025-03-10'],
      ['10 March', '2025-03-10'],
      ['2024-02-29', '2024-02-29'],
      ['明天', '2025-03-06'],
      ['后天', '2025-03-07'],
      ['大后天', '2025-03-08'],
      ['昨天', '2025-03-04'],
      ['前天', '2025-03-03'],
      ['3月5日', '2025-03-05'],
      ['三月八号', '2025-03-08'],
      ['2025年4月1日', '2025-04-01'],
      ['下周一', '2025-03-10'],
      ['下星期五', '2025-03-14'],
      ['这周五', '2025-03-07'],
      ['本周一', '2025-03-03'],
      ['周日', '2025-03-09'],
      ['下下周一', '2025-03-17'],
    ];
    for (const [text, want] of cases) assert.deepEqual(values(findDates(`x ${text} y`, ctx)), [want], text);
    assert.deepEqual(values(findDates('2/30 and 13/1', ctx)), []);
  });

  it('dates use the calendar day of the given time zone', () => {
    const lateUtc = { now: new Date('2025-03-05T20:00:00Z') };
    assert.deepEqual(values(findDates('tomorrow', { ...lateUtc, timeZone: 'UTC' })), ['2025-03-06']);
    assert.deepEqual(values(findDates('明天', { ...lateUtc, timeZone: 'Asia/Shanghai' })), ['2025-03-07']);
  });

  it('phone numbers: CN mobile, +86, US style, normalised to E.164', () => {
    const cases: Array<[string, string[]]> = [
      ['call 13812345678', ['+8613812345678']],
      ['+86 138 1234 5678', ['+8613812345678']],
      ['0086-13812345678', ['+8613812345678']],
      ['(415) 555-0134', ['+14155550134']],
      ['+1 415-555-0134', ['+14155550134']],
      ['415.555.0134', ['+14155550134']],
      ['+14155550134', ['+14155550134']],
      ['12345678901', []],
      ['order 100234', []],
    ];
    for (const [text, want] of cases) assert.deepEqual(values(findPhones(text)), want, text);
  });

  it('e-mails, lower-cased', () => {
    assert.deepEqual(values(findEmails('mail Bob.Smith@Example.co.uk or a_b+c@x.io.')), ['bob.smith@example.co.uk', 'a_b+c@x.io']);
    assert.deepEqual(values(findEmails('not@an-email and @foo.com')), []);
  });

  it('findEntities combines finders without overlapping spans', () => {
    const es = findEntities('Order #100234: refund $25 to bob@x.com, call 13812345678 tomorrow', ctx);
    assert.deepEqual(
      es.map((e) => [e.type, e.value]),
      [
        ['orderNumber', '100234'],
        ['amount', { amount: 25, currency: 'USD' }],
        ['email', 'bob@x.com'],
        ['phone', '+8613812345678'],
        ['date', '2025-03-06'],
      ],
    );
    const zh = findEntities('订单号100234，明天退我三十块，电话13812345678', ctx);
    assert.deepEqual(
      zh.map((e) => e.type),
      ['orderNumber', 'date', 'amount', 'phone'],
    );
    for (const e of [...es, ...zh]) assert.ok(e.end > e.start);
  });
});

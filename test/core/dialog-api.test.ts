/** The dialog API: choice matching, interruption control, conditional and step slots, memory. */
import assert from 'node:assert/strict';
import { conversationKey, createEngine, type Dialog, defineDialog, type Engine, fail, isKefuError, MEMORY_TTL_MS, ok, slot } from '../../core';
import { converse } from '../harness';
import { createKeywordClassifier } from '../support/keyword-classifier';
import { cancelDialog, fallbackDialog, shippingDialog } from './fixtures';

declare module '../../core' {
  interface DialogMemory {
    apiTestOrderNo: string;
  }
}

/** Like the fixtures' cancel, but an escape dialog: it may interrupt free-text slots. */
const escapeCancel = defineDialog({
  id: 'cancel',
  triggers: ['cancel'],
  escape: true,
  texts: { en: { a: 'Cancelled.' }, zh: { a: '已取消。' } },
  run(ctx) {
    ctx.cancelAll();
    ctx.say('a');
  },
});

const changeAddress = defineDialog({
  id: 'change-address',
  triggers: ['address'],
  texts: {
    en: {
      askAddress: 'What is the new address?',
      askConfirm: 'Change it to {address}?',
      yes: 'Yes, change it',
      no: 'No, keep it',
      bad: 'Yes or no?',
      done: 'Changed to {address}.',
      kept: 'Kept.',
    },
    zh: { askAddress: '新地址是？', askConfirm: '改成{address}吗？', yes: '确认修改', no: '不用了', bad: '是还是不是？', done: '已改为{address}。', kept: '没有修改。' },
  },
  slots: (slot) => ({
    address: slot.text({ prompt: 'askAddress' }),
    confirm: slot.confirm({ prompt: 'askConfirm', invalid: 'bad', yes: 'yes', no: 'no' }),
  }),
  run(ctx, { address, confirm }) {
    if (confirm === 'yes') ctx.say('done', { address });
    else ctx.say('kept');
  },
});

const refund: Dialog = defineDialog({
  id: 'refund',
  triggers: ['refund'],
  texts: { en: { ask: 'Order number?', done: 'Refund for {no}.' }, zh: { ask: '订单号？', done: '订单{no}退款。' } },
  slots: (slot) => ({ no: slot.entity('orderNumber', { prompt: 'ask', invalid: 'ask', fromMemory: 'apiTestOrderNo' }) }),
  run(ctx, { no }) {
    ctx.say('done', { no });
  },
});

const lookup = defineDialog({
  id: 'lookup',
  triggers: ['lookup'],
  texts: { en: { ask: 'Which order?', found: 'Order {no} is on its way.' }, zh: { ask: '哪个订单？', found: '订单{no}在路上。' } },
  slots: (slot) => ({ no: slot.entity('orderNumber', { prompt: 'ask', invalid: 'ask', remember: 'apiTestOrderNo' }) }),
  run(ctx, { no }) {
    ctx.say('found', { no });
  },
});

function engine(dialogs: Dialog[], now?: () => number): Engine {
  const classifier = createKeywordClassifier([
    ['cancel', /cancel|取消/],
    ['refund', /refund|退款/],
    ['address', /address|地址/],
    ['lookup', /where|查/],
    ['shipping', /shipping/],
  ]);
  return createEngine({ classifier, dialogs: [...dialogs, fallbackDialog], ...(now ? { now } : {}) });
}

describe('core/dialog API', () => {
  describe('choice', () => {
    it('accepts "yes please", a full-width YES and its own button label in the other language', async () => {
      const e = engine([changeAddress]);
      await converse(e).say('change my address').expect('What is the new address?').say('Lane 3').expect('Change it to Lane 3?').say('yes please').expect('Changed to Lane 3.');
      await converse(e).say('change my address').say('Lane 4').say('ＹＥＳ！').expect('Changed to Lane 4.');
      await converse(e).say('change my address').say('Lane 5').say('确认修改').expect('已改为Lane 5。');
      await converse(e).say('change my address').say('Lane 6').say('nope').expect('Kept.');
      await converse(e).say('change my address').say('Lane 7').say('算了').expect('没有修改。');
    });

    it('offers the labels as buttons and re-asks an unclear answer', async () => {
      await converse(engine([changeAddress]))
        .say('change my address')
        .say('Lane 3')
        .check((r) =>
          assert.deepEqual(r.replies[0]?.quickReplies, [
            { payload: 'yes', label: 'Yes, change it' },
            { payload: 'no', label: 'No, keep it' },
          ]),
        )
        .say('purple')
        .expect(/Yes or no\?\nChange it to Lane 3\?/);
    });
  });

  describe('interruptions', () => {
    it('takes a free-text answer that names another intent ("Refund Lane 12") as the answer', async () => {
      await converse(engine([changeAddress, refund, escapeCancel]))
        .say('change my address')
        .say('Refund Lane 12')
        .expect('Change it to Refund Lane 12?');
    });

    it('lets escape dialogs (cancel) interrupt free text', async () => {
      await converse(engine([changeAddress, escapeCancel]))
        .say('change my address')
        .say('cancel that')
        .expect('Cancelled.')
        .expectNot(/address/);
    });

    it('lets a non-escape dialog interrupt a validated slot only when the answer does not fit', async () => {
      await converse(engine([refund, cancelDialog, shippingDialog]))
        .say('refund')
        .say('how much is shipping')
        .expect(/Shipping takes 3 days\.\nOrder number\?/);
    });

    it('honours interruptible lists and false', async () => {
      const listed = defineDialog({
        id: 'note',
        triggers: ['address'],
        texts: { en: { ask: 'Your note?', done: 'Noted: {note}' }, zh: { ask: '备注？', done: '已记录：{note}' } },
        slots: (slot) => ({ note: slot.text({ prompt: 'ask', interruptible: ['shipping'] }) }),
        run: (ctx, { note }) => ctx.say('done', { note }),
      });
      await converse(engine([listed, refund, shippingDialog, escapeCancel]))
        .say('address note')
        .say('refund me later')
        .expect('Noted: refund me later')
        .say('address note')
        .say('shipping?')
        .expect(/Shipping takes 3 days\.\nYour note\?/);
      const locked = defineDialog({
        id: 'pin',
        triggers: ['address'],
        texts: { en: { ask: 'PIN?', bad: 'Four digits.', done: 'PIN set.' }, zh: { ask: '密码？', bad: '四位数字。', done: '已设置。' } },
        slots: (slot) => ({ pin: slot.text({ prompt: 'ask', interruptible: false, validate: (t) => (/^\d{4}$/.test(t) ? ok(t) : fail('bad')) }) }),
        run: (ctx) => ctx.say('done'),
      });
      await converse(engine([locked, escapeCancel]))
        .say('address pin')
        .say('cancel')
        .expect(/Four digits\.\nPIN\?/);
    });
  });

  describe('conditional slots and steps', () => {
    const gift = defineDialog({
      id: 'gift',
      triggers: ['address'],
      texts: {
        en: { askWrap: 'Gift wrap it?', askNote: 'Card text?', y: 'Yes', n: 'No', bad: 'Yes or no?', sold: 'Sorry, sold out.', done: 'Wrap {wrap}, note {note}.' },
        zh: { askWrap: '需要礼品包装吗？', askNote: '贺卡写什么？', y: '要', n: '不要', bad: '要还是不要？', sold: '抱歉，卖完了。', done: '包装{wrap}，贺卡{note}。' },
      },
      slots: (slot) => ({
        stock: slot.step((ctx) => {
          if (!ctx.message.text.includes('sold')) return 3;
          ctx.say('sold');
          return undefined;
        }),
        wrap: slot.confirm({ prompt: 'askWrap', invalid: 'bad', yes: 'y', no: 'n' }),
        note: slot.text({ prompt: 'askNote', when: (f) => f.wrap === 'yes' }),
      }),
      run(ctx, { stock, wrap, note }) {
        assert.equal(stock, 3);
        ctx.say('done', { wrap, note: note ?? '-' });
      },
    });

    it('skips a slot whose condition is false and asks it when true', async () => {
      const e = engine([gift]);
      await converse(e).say('address gift').expect('Gift wrap it?').say('no').expect('Wrap no, note -.');
      await converse(e).say('address gift').say('yes').expect('Card text?').say('Happy birthday').expect('Wrap yes, note Happy birthday.');
    });

    it('ends the dialog where a step returns undefined', async () => {
      await converse(engine([gift]))
        .say('address gift sold')
        .expect('Sorry, sold out.')
        .expectNot(/wrap/i);
    });
  });

  describe('memory', () => {
    it('carries a value to the next dialog, persisted in the session', async () => {
      const e = engine([lookup, refund]);
      const id = 'memory-carry';
      await converse(e, { conversationId: id }).say('where is 100234').expect('Order 100234 is on its way.').say('refund please').expect('Refund for 100234.');
      const saved = await e.data.sessions.read(conversationKey({ channel: 'test', conversationId: id }));
      assert.equal(saved?.value?.memory?.apiTestOrderNo?.value, '100234');
      await converse(e).say('refund please').expect('Order number?');
    });

    it('lets a number in the message win over memory, and forgets after the TTL', async () => {
      let now = Date.UTC(2025, 0, 1);
      const e = engine([lookup, refund], () => now);
      await converse(e)
        .say('where is 100234')
        .say('refund 100235')
        .expect('Refund for 100235.')
        .check(() => {
          now += MEMORY_TTL_MS + 1;
        })
        .say('refund')
        .expect('Order number?');
    });
  });

  it('fails the turn, coded, when a dialog keeps starting itself', async () => {
    const loop: Dialog = defineDialog({
      id: 'loop',
      triggers: ['lookup'],
      texts: { en: {}, zh: {} },
      run(ctx) {
        ctx.start('loop');
      },
    });
    const e = engine([loop]);
    const codes: string[] = [];
    e.addHook('onError', (err) => {
      codes.push((err as { code?: string }).code ?? '');
    });
    await converse(e)
      .say('where')
      .expect(/something went wrong/);
    assert.deepEqual(codes, ['KEFU_ERR_DIALOG_FAILED']);
  });

  describe('the dialog context', () => {
    const switcher = defineDialog({
      id: 'switch',
      triggers: ['shipping'],
      texts: { en: { a: 'In English, {no}.' }, zh: { a: '中文，{no}。' } },
      run(ctx) {
        ctx.remember('apiTestOrderNo', '100234');
        const remembered = ctx.memory.apiTestOrderNo ?? 'none';
        ctx.locale = 'zh'; // the turn's locale: what follows is said in Chinese
        ctx.say('a', { no: remembered });
        ctx.handoff('dialog', 'asked from the dialog');
        assert.deepEqual(ctx.handoffRequest, { reason: 'dialog', detail: 'asked from the dialog' });
        ctx.handoffRequest = undefined; // and taken back: the turn does not escalate
      },
    });

    it('reads and writes through to the turn (locale, handoff request) and sees memory as it changes', async () => {
      const e = engine([switcher]);
      const handoffs: unknown[] = [];
      e.addHook('onHandoff', (_ctx, request) => {
        handoffs.push(request);
      });
      await converse(e).say('shipping').expect('中文，100234。');
      assert.deepEqual(handoffs, []);
    });
  });

  describe('definition checks', () => {
    it('fills prompt placeholders from filled slots by name', async () => {
      await converse(engine([changeAddress]))
        .say('address')
        .say('Main St 1')
        .expect('Change it to Main St 1?');
    });

    it('refuses texts whose placeholders differ between locales', () => {
      assert.throws(
        () => defineDialog({ id: 'x', triggers: [], texts: { en: { a: 'Order {no}' }, zh: { a: '订单' } }, run() {} }),
        (e) => isKefuError(e, 'KEFU_ERR_DIALOG_TEXT_MISSING') && /\{no\} in en/.test(e.message),
      );
    });

    it('refuses an untyped slot whose keys are missing, at definition', () => {
      assert.throws(
        () => defineDialog({ id: 'y', triggers: [], slots: { a: slot.entity('x', { prompt: 'ask', invalid: 'nope' }) }, texts: { en: { ask: 'A' }, zh: { ask: '甲' } }, run() {} }),
        (e) => isKefuError(e, 'KEFU_ERR_DIALOG_TEXT_MISSING') && /nope/.test(e.message),
      );
    });
  });
});

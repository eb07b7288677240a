import assert from 'node:assert/strict';
import { createEngine, defineDialog, fail, isKefuError, ok, slot } from '../../core';
import { converse } from '../harness';
import { createKeywordClassifier } from '../support/keyword-classifier';
import { fallbackDialog } from './fixtures';

const refund = defineDialog({
  id: 'refund',
  triggers: ['refund'],
  slots: {
    orderNo: slot.text({ prompt: 'ask', validate: (t) => (t === '100234' ? ok(t) : fail({ key: 'unknown', vars: { no: t } })) }),
    confirm: slot.choice({ yes: 'yesLabel', no: 'noLabel' }, { prompt: 'confirm', invalid: 'confirm', promptVars: (v) => ({ orderNo: String(v.orderNo) }) }),
  },
  texts: {
    en: { ask: 'Order number?', unknown: 'No order {no}.', confirm: 'Refund order {orderNo}?', yesLabel: 'Yes', noLabel: 'No', done: 'Refund {answer}.' },
    zh: { ask: '订单号？', unknown: '没有订单{no}。', confirm: '退款订单{orderNo}？', yesLabel: '是', noLabel: '否', done: '退款{answer}。' },
  },
  run(ctx, v) {
    ctx.say('done', { answer: v.confirm === 'yes' ? 'requested' : 'dropped' });
  },
});

const status = defineDialog({
  id: 'status',
  triggers: ['status'],
  texts: { en: {}, zh: {} },
  run(ctx) {
    ctx.start('refund', { orderNo: '100234' });
  },
});

const engine = () =>
  createEngine({
    classifier: createKeywordClassifier([
      ['refund', /refund/],
      ['status', /status/],
    ]),
    dialogs: [refund, status, fallbackDialog],
  });

describe('core/dialogs', () => {
  it('fills error and prompt placeholders from the validator and the collected slots', async () => {
    await converse(engine())
      .say('refund please')
      .expect('Order number?')
      .say('999999')
      .expect('No order 999999.')
      .say('100234')
      .expect('Refund order 100234?')
      .check((r) =>
        assert.deepEqual(r.replies[0]?.quickReplies, [
          { label: 'Yes', payload: 'yes' },
          { label: 'No', payload: 'no' },
        ]),
      )
      .press('yes')
      .expect('Refund requested.');
  });

  it('starts a dialog from another with slots already filled', async () => {
    await converse(engine()).say('status').expect('Refund order 100234?');
  });

  it('refuses a dialog whose texts lack a locale key', () => {
    assert.throws(
      () => defineDialog({ id: 'x', triggers: [], slots: { a: slot.text({ prompt: 'missing' }) }, texts: { en: {}, zh: {} }, run() {} }),
      (e) => isKefuError(e, 'KEFU_ERR_DIALOG_TEXT_MISSING') && /missing/.test(e.message),
    );
  });

  it('refuses duplicate dialog ids and a missing fallback', () => {
    const classifier = createKeywordClassifier([]);
    assert.throws(
      () => createEngine({ classifier, dialogs: [refund, refund, fallbackDialog] }),
      (e) => isKefuError(e, 'KEFU_ERR_DIALOG_DUPLICATE'),
    );
    assert.throws(
      () => createEngine({ classifier, dialogs: [refund] }),
      (e) => isKefuError(e, 'KEFU_ERR_DIALOG_UNKNOWN'),
    );
  });

  it('runs middleware around the dialog, refuses next() twice and unknown hooks', async () => {
    const e = engine();
    const seen: string[] = [];
    e.use(async (ctx, next) => {
      seen.push(`before:${ctx.classification.intent}`);
      await next();
      seen.push(`after:${ctx.replies.length}`);
    });
    await e.handle({ channel: 't', conversationId: 'mw', userId: 'u', text: 'refund' });
    assert.deepEqual(seen, ['before:refund', 'after:1']);
    assert.throws(
      () => e.addHook('onWhatever' as 'onClose', () => {}),
      (err) => isKefuError(err, 'KEFU_ERR_HOOK_UNKNOWN'),
    );

    const twice = engine();
    const errors: string[] = [];
    twice.addHook('onError', (err) => {
      errors.push((err as { code?: string }).code ?? '');
    });
    twice.use(async (_ctx, next) => {
      await next();
      await next();
    });
    const r = await twice.handle({ channel: 't', conversationId: 'mw2', userId: 'u', text: 'refund' });
    assert.deepEqual(errors, ['KEFU_ERR_MIDDLEWARE_NEXT_TWICE']);
    assert.match(r.replies[0]?.text ?? '', /something went wrong/);
  });
});

/**
 * Compile-only checks of the bot-author API (grammY's type tests). `test/types.test.ts` runs tsc on
 * this folder; every @ts-expect-error must be needed, so a loosened type fails the build.
 */
import { createSlotBuilders, type DialogContext, defineDialog, fail, ok, type SlotSpec, slot, type TurnContext } from '../../core';

declare module '../../core' {
  interface DialogMemory {
    typesTestOrderNo: string;
  }
  interface DialogData {
    typesTestCart: string[];
  }
}

export const typed = defineDialog({
  id: 'typed',
  triggers: ['x'],
  texts: {
    en: { ask: 'How many?', bad: 'Not {n}.', small: 'Small', large: 'Large', done: '{n} of size {size}', sure: 'Sure?', yes: 'Yes', no: 'No' },
    zh: { ask: '几个？', bad: '不是{n}。', small: '小', large: '大', done: '{n}个，{size}号', sure: '确定？', yes: '是', no: '否' },
  },
  slots: (s) => ({
    count: s.text<number>({ prompt: 'ask', validate: (t) => (/^\d+$/.test(t) ? ok(Number(t)) : fail({ key: 'bad', vars: { n: t } })) }),
    size: s.choice(
      [
        { value: 's', label: 'small' },
        { value: 'l', label: 'large', synonyms: { en: ['big'] } },
      ],
      { prompt: 'ask', invalid: 'ask' },
    ),
    sure: s.confirm({ prompt: 'sure', invalid: 'sure', yes: 'yes', no: 'no', when: (f) => f.count === 12 }),
    note: s.step((ctx, f) => {
      ctx.say('bad', { n: String(f.count) });
      // @ts-expect-error: 'bad' has a {n} placeholder, so its vars are required
      ctx.say('bad');
      return f.count === 0 ? undefined : 'checked';
    }),
    orderNo: s.text({ prompt: 'ask', fromMemory: 'typesTestOrderNo', remember: 'typesTestOrderNo', interruptible: ['faq.shipping'] }),
  }),
  run(ctx, values) {
    const n: number = values.count;
    const size: 's' | 'l' = values.size;
    const sure: 'yes' | 'no' | undefined = values.sure;
    const note: string = values.note;
    ctx.say('done', { n, size });
    ctx.remember('typesTestOrderNo', values.orderNo);
    const remembered: string | undefined = ctx.memory.typesTestOrderNo;
    void [sure, note, remembered];
    // @ts-expect-error: 'nope' is not a text key of this dialog
    ctx.say('nope');
    // @ts-expect-error: 'done' needs {size} too
    ctx.say('done', { n });
    // @ts-expect-error: a slot value keeps its validated type
    const wrong: string = values.count;
    // @ts-expect-error: a conditional slot may be skipped, so its value may be undefined
    const always: 'yes' | 'no' = values.sure;
    // @ts-expect-error: memory values keep their declared type
    ctx.remember('typesTestOrderNo', 42);
    ctx.data.typesTestCart = ['lamp'];
    const undeclared: unknown = ctx.data.somethingElse;
    // @ts-expect-error: declared dialog data keeps its type
    ctx.data.typesTestCart = [1];
    void undeclared;
    void [wrong, always];
  },
});

defineDialog({
  id: 'typos-in-slots',
  triggers: [],
  texts: { en: { ask: 'A?', bad: 'Bad.', opt: 'Opt', more: 'More than {n}?' }, zh: { ask: '甲？', bad: '不对。', opt: '选项', more: '多于{n}？' } },
  slots: (s) => ({
    // @ts-expect-error: a prompt must be a text key
    a: s.text({ prompt: 'askk' }),
    // @ts-expect-error: fail(key) in a validator must be a text key
    b: s.text({ prompt: 'ask', validate: (t) => (t ? ok(t) : fail('badd')) }),
    // @ts-expect-error: so must a problem with vars
    c: s.text({ prompt: 'ask', validate: (t) => (t ? ok(t) : fail({ key: 'badd', vars: { t } })) }),
    // @ts-expect-error: invalid must be a text key
    d: s.entity('orderNumber', { prompt: 'ask', invalid: 'nope' }),
    // @ts-expect-error: a button label must be a text key
    e: s.choice([{ value: 'x', label: 'optt' }], { prompt: 'ask', invalid: 'bad' }),
    // @ts-expect-error: promptVars may only name placeholders of this dialog's texts
    f: s.text({ prompt: 'more', promptVars: () => ({ nope: 1 }) }),
    // @ts-expect-error: memory keys are declared (DialogMemory)
    g: s.text({ prompt: 'ask', remember: 'notDeclared' }),
  }),
  run() {},
});

defineDialog({
  id: 'missing-zh',
  triggers: [],
  // @ts-expect-error: every en key must exist in zh
  texts: { en: { a: 'A', b: 'B' }, zh: { a: '甲' } },
  run() {},
});

/** A shared slot carries the keys it needs; a dialog without them does not compile. */
const shared: SlotSpec<string, 'askNo'> = createSlotBuilders<{ askNo: string }>().text({ prompt: 'askNo' });
defineDialog({ id: 'has-key', triggers: [], texts: { en: { askNo: 'No?' }, zh: { askNo: '号？' } }, slots: { no: shared }, run() {} });
defineDialog({
  id: 'lacks-key',
  triggers: [],
  texts: { en: { other: 'x' }, zh: { other: 'y' } },
  // @ts-expect-error: the shared slot's prompt 'askNo' is not a text of this dialog
  slots: { no: shared },
  run() {},
});

/** The older object form with core's `slot` still compiles (its keys are checked at definition). */
export const legacy = defineDialog({
  id: 'legacy',
  triggers: [],
  slots: { size: slot.choice({ s: 'small', l: 'large' }, { prompt: 'ask', invalid: 'ask' }) },
  texts: { en: { ask: 'Size?', small: 'S', large: 'L' }, zh: { ask: '尺寸？', small: '小', large: '大' } },
  run(ctx, { size }) {
    const s: 's' | 'l' = size;
    ctx.say('ask');
    void s;
  },
});

/** Helpers take the texts they need; `ctx.start(dialog, values)` checks the values. */
function greetBack(ctx: DialogContext<{ bad: string }>): void {
  ctx.say('bad', { n: 1 });
}
export const starter = defineDialog({
  id: 'starter',
  triggers: [],
  texts: { en: { bad: 'Not {n}.' }, zh: { bad: '不是{n}。' } },
  run(ctx) {
    greetBack(ctx);
    ctx.start(typed, { count: 3 });
    // @ts-expect-error: count is a number in the typed dialog
    ctx.start(typed, { count: 'three' });
  },
});

export function contextIsTyped(ctx: TurnContext<{ cart: string[] }>): number {
  // @ts-expect-error: data is typed by the author
  ctx.data.cart.push(1);
  return ctx.data.cart.length;
}

/**
 * Compile-only checks of the bot-author API (grammY's type tests). `test/types.test.ts` runs tsc on
 * this folder; every @ts-expect-error must be needed, so a loosened type fails the build.
 */
import { defineDialog, fail, ok, slot, type TurnContext } from '../../core';

export const typed = defineDialog({
  id: 'typed',
  triggers: ['x'],
  slots: {
    count: slot.text<number>({ prompt: 'ask', validate: (t) => (/^\d+$/.test(t) ? ok(Number(t)) : fail('ask')) }),
    size: slot.choice({ s: 'small', l: 'large' }, { prompt: 'ask', invalid: 'ask' }),
  },
  texts: {
    en: { ask: 'How many?', small: 'Small', large: 'Large', done: '{n} of size {size}' },
    zh: { ask: '几个？', small: '小', large: '大', done: '{n}个，{size}号' },
  },
  run(ctx, values) {
    const n: number = values.count;
    const size: 's' | 'l' = values.size;
    ctx.say('done', { n, size });
    // @ts-expect-error: 'nope' is not a text key of this dialog
    ctx.say('nope');
    // @ts-expect-error: a slot value keeps its validated type
    const wrong: string = values.count;
    void wrong;
  },
});

defineDialog({
  id: 'missing-zh',
  triggers: [],
  // @ts-expect-error: every en key must exist in zh
  texts: { en: { a: 'A', b: 'B' }, zh: { a: '甲' } },
  run() {},
});

export function contextIsTyped(ctx: TurnContext<{ cart: string[] }>): number {
  // @ts-expect-error: data is typed by the author
  ctx.data.cart.push(1);
  return ctx.data.cart.length;
}

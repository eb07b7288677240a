/**
 * A complete kefu bot in one file: a bilingual pizza order with a validated slot and a choice,
 * trained from ./locales, answering in the terminal. Run: npx tsx examples/pizza/bot.ts
 */
import { createInterface } from 'node:readline';
import { createEngine, defineDialog, type Engine, fail, ok, slot } from '../../core';
import { createNluClassifier } from '../../intents';

const greeting = defineDialog({
  id: 'greeting',
  triggers: ['greeting'],
  texts: { en: { hi: 'Hi! Want to order a pizza?' }, zh: { hi: '你好！要点披萨吗？' } },
  run: (ctx) => ctx.say('hi'),
});

const orderPizza = defineDialog({
  id: 'order-pizza',
  triggers: ['order.pizza'],
  slots: {
    size: slot.choice({ small: 'small', large: 'large' }, { prompt: 'askSize', invalid: 'askSize' }),
    count: slot.text<number>({
      prompt: 'askCount',
      validate: (text) => {
        const n = Number(text.match(/\d+/)?.[0]);
        return n >= 1 && n <= 10 ? ok(n) : fail({ key: 'badCount', vars: { max: 10 } });
      },
    }),
  },
  texts: {
    en: { askSize: 'Which size?', small: 'Small', large: 'Large', askCount: 'How many?', badCount: 'Between 1 and {max}, please.', done: '{count} × {size} pizza, on its way!' },
    zh: { askSize: '要什么尺寸？', small: '小份', large: '大份', askCount: '要几个？', badCount: '请输入1到{max}之间的数字。', done: '{count}个{size}披萨，马上送到！' },
  },
  run(ctx, { size, count }) {
    ctx.say('done', { count, size: ctx.t(size) });
  },
});

const fallback = defineDialog({
  id: 'fallback',
  triggers: [],
  texts: { en: { sorry: 'I only do pizza. Try "I want a pizza".' }, zh: { sorry: '我只会点披萨，试试“我要一个披萨”。' } },
  run: (ctx) => ctx.say('sorry'),
});

/** Builds the bot; `cacheDir` keeps the trained models between runs. */
export async function createPizzaBot(cacheDir = 'data/models-pizza'): Promise<Engine> {
  const classifier = await createNluClassifier({ localesDir: `${__dirname}/locales`, cacheDir });
  return createEngine({ classifier, dialogs: [greeting, orderPizza, fallback] });
}

if (require.main === module) {
  void createPizzaBot().then((engine) => {
    const rl = createInterface({ input: process.stdin });
    process.stdout.write('pizza bot (English or 中文); Ctrl+D to quit\n');
    rl.on('line', async (text) => {
      const { replies } = await engine.handle({ channel: 'cli', conversationId: 'me', userId: 'me', text });
      for (const r of replies) process.stdout.write(`bot> ${r.text}${r.quickReplies ? `  [${r.quickReplies.map((q) => q.label).join(' | ')}]` : ''}\n`);
    });
    rl.on('close', () => void engine.close());
  });
}

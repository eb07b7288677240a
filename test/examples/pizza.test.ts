/** The examples stay runnable: the pizza bot holds its conversation in both languages. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Engine } from '../../core';
import { createPizzaBot } from '../../examples/pizza/bot';
import { converse } from '../harness';

describe('examples/pizza', function () {
  this.timeout(60_000);
  let dir: string;
  let bot: Engine;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kefu-pizza-'));
    bot = await createPizzaBot(dir);
  });
  after(async () => {
    await bot.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('orders in English with a choice and a validated number', async () => {
    await converse(bot)
      .say('I want a pizza')
      .expect('Which size?')
      .press('large')
      .expect('How many?')
      .say('eleven')
      .expect('Between 1 and 10')
      .say('2')
      .expect('2 × Large pizza, on its way!');
  });

  it('orders in Chinese', async () => {
    await converse(bot).say('我要一个披萨').expect('要什么尺寸').press('small').expect('要几个').say('3个').expect('3个小份披萨，马上送到！');
  });
});

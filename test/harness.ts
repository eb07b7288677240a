/**
 * A fluent conversation test on top of `engine.handle()` (botbuilder's TestFlow):
 * @example
 * await converse(engine).say('where is my order').expect(/order number/).say('12').expect(/6 digits/);
 */
import assert from 'node:assert/strict';
import type { InboundMessage, OutboundMessage, TurnHandler, TurnResult } from '../core';

type Step = () => Promise<void>;

export class Conversation implements PromiseLike<TurnResult[]> {
  private readonly steps: Step[] = [];
  private last: TurnResult | undefined;
  private readonly results: TurnResult[] = [];
  private seq = 0;

  constructor(
    private readonly engine: TurnHandler,
    private readonly base: Omit<InboundMessage, 'text'>,
  ) {}

  /** Sends a text (or a full message override) as the customer. */
  say(text: string, extra: Partial<InboundMessage> = {}): this {
    this.steps.push(async () => {
      this.seq += 1;
      this.last = await this.engine.handle({ ...this.base, platformMessageId: `${this.base.conversationId}-${this.seq}`, text, ...extra });
      this.results.push(this.last);
    });
    return this;
  }

  /** Presses a quick-reply button by its payload. */
  press(payload: string): this {
    return this.say('', { payload });
  }

  /** Checks the joined text of the last turn's replies. */
  expect(pattern: RegExp | string, message?: string): this {
    this.steps.push(async () => {
      const text = joined(this.lastReplies());
      if (typeof pattern === 'string') assert.ok(text.includes(pattern), message ?? `expected reply to contain ${JSON.stringify(pattern)}, got ${JSON.stringify(text)}`);
      else assert.match(text, pattern, message ?? `expected reply to match ${pattern}, got ${JSON.stringify(text)}`);
    });
    return this;
  }

  /** Checks that the last reply does not match. */
  expectNot(pattern: RegExp, message?: string): this {
    this.steps.push(async () => {
      assert.doesNotMatch(joined(this.lastReplies()), pattern, message);
    });
    return this;
  }

  /** Any custom check on the last turn. */
  check(fn: (result: TurnResult) => void | Promise<void>): this {
    this.steps.push(async () => {
      assert.ok(this.last, 'no turn yet: call say() first');
      await fn(this.last);
    });
    return this;
  }

  /** Checks the intent the last turn was classified as. */
  expectIntent(name: string): this {
    return this.check((r) => assert.equal(r.intent?.name, name, `expected intent ${name}, got ${r.intent?.name} (${r.intent?.score})`));
  }

  private lastReplies(): OutboundMessage[] {
    assert.ok(this.last, 'no turn yet: call say() first');
    return this.last.replies;
  }

  // biome-ignore lint/suspicious/noThenProperty: the fluent conversation is awaited on purpose (botbuilder's TestFlow)
  then<R1 = TurnResult[], R2 = never>(onOk?: ((v: TurnResult[]) => R1 | PromiseLike<R1>) | null, onErr?: ((e: unknown) => R2 | PromiseLike<R2>) | null): PromiseLike<R1 | R2> {
    const run = async () => {
      for (const step of this.steps) await step();
      return this.results;
    };
    return run().then(onOk, onErr);
  }
}

export function joined(replies: readonly OutboundMessage[]): string {
  return replies.map((r) => r.text).join('\n');
}

let counter = 0;
/** Starts a conversation test on a fresh conversation id. */
export function converse(engine: TurnHandler, base: Partial<Omit<InboundMessage, 'text'>> = {}): Conversation {
  counter += 1;
  return new Conversation(engine, { channel: 'test', conversationId: `conv-${counter}-${Date.now()}`, userId: 'user-1', ...base });
}

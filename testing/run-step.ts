/**
 * Runs one step of a story against the app. A check that does not hold throws `StepMismatch`
 * with what was expected and what the customer got; a refused request throws `UnexpectedAnswer`.
 */
import type { ConsoleAgents } from './console-agent';
import type { Pattern } from './pattern';
import type { AgentStep, CsatStep, CustomerStep, HandoffStep, SeeStep, Step, TranscriptLine } from './story';
import type { StoryApp } from './story-app';
import { type SeenMessage, UnexpectedAnswer, type WebCustomer } from './web-customer';

export class StepMismatch extends Error {
  constructor(
    readonly expected: string,
    readonly got: string,
  ) {
    super(`expected ${expected}; got ${got}`);
  }
}

export interface StepContext {
  app: StoryApp;
  customer: WebCustomer;
  agents: ConsoleAgents;
  transcript: TranscriptLine[];
  remoteAddress: string;
  waitMs: number;
  /** What the last customer message got: how many replies, and its seq (for its intent). */
  last?: { replies: number; seq?: number };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Retries `attempt` until it gives a value or `waitMs` passed (pushed messages and handoff events may lag a turn). */
async function eventually<T>(ctx: StepContext, attempt: () => Promise<T | undefined>): Promise<T | undefined> {
  const deadline = Date.now() + ctx.waitMs;
  for (;;) {
    const found = await attempt();
    if (found !== undefined || Date.now() >= deadline) return found;
    await sleep(25);
  }
}

function describeMessage(m: SeenMessage): string {
  const buttons = m.quickReplies.length ? ` [${m.quickReplies.map((q) => q.label).join('] [')}]` : '';
  return `${m.from}: "${m.text}"${buttons}`;
}

function matches(step: SeeStep, m: SeenMessage): boolean {
  if (step.kind === 'bot' && m.from !== 'bot' && m.from !== 'system') return false;
  if (step.from && m.from !== step.from) return false;
  if (step.text && !step.text.test(m.text)) return false;
  return (step.quickReplies ?? []).every((p) => m.quickReplies.some((q) => p.test(q.label)));
}

export function describeSee(step: SeeStep): string {
  const who = step.kind === 'bot' ? 'the bot' : step.from ? `a message from the ${step.from}` : 'a message';
  const parts = [step.text ? `${who} saying ${step.text.source}` : `${who}`];
  if (step.quickReplies) parts.push(`with buttons ${step.quickReplies.map((p) => p.source).join(', ')}`);
  return parts.join(' ');
}

async function checkIntent(ctx: StepContext, intent: string): Promise<void> {
  const seq = ctx.last?.seq;
  if (seq === undefined) throw new StepMismatch(`the customer's last message classified as ${intent}`, 'no customer message yet');
  if (!ctx.app.engine) throw new UnexpectedAnswer('intent checks need the app to expose engine.data.messages (buildApp and createKefuApp apps do)');
  const [stored] = await ctx.app.engine.data.messages.after(ctx.customer.key, seq - 1, 1);
  const got = stored?.seq === seq ? stored.intent : undefined;
  if (got !== intent) throw new StepMismatch(`the customer's last message classified as ${intent}`, got ? `intent ${got}` : 'no intent stored');
}

async function see(ctx: StepContext, step: SeeStep): Promise<void> {
  if (step.intent) await checkIntent(ctx, step.intent);
  if (step.silent) {
    if ((ctx.last?.replies ?? 0) > 0) throw new StepMismatch('no answer to the last customer message', `${ctx.last?.replies} answer(s)`);
    return;
  }
  if (!step.text && !step.quickReplies) return;
  const { unread } = ctx.customer;
  const at = await eventually(ctx, async () => {
    const i = unread.findIndex((m) => matches(step, m));
    if (i >= 0) return i;
    await ctx.customer.sync();
    return undefined;
  });
  if (at === undefined) throw new StepMismatch(describeSee(step), unread.length ? unread.map(describeMessage).join('\n') : 'nothing new');
  unread.splice(0, at + 1); // what came before the match was seen too
}

function pressable(ctx: StepContext, press: Pattern): { label: string; payload: string } {
  const buttons = ctx.customer.buttons();
  const button = buttons.find((b) => press.test(b.label));
  if (!button) throw new StepMismatch(`a button ${press.source} to press`, buttons.length ? `buttons ${buttons.map((b) => `[${b.label}]`).join(' ')}` : 'no buttons on screen');
  return button;
}

async function customer(ctx: StepContext, step: CustomerStep): Promise<void> {
  ctx.customer.unread.length = 0; // a new message: what nobody checked is left behind
  const button = step.press ? pressable(ctx, step.press) : undefined;
  ctx.last = await ctx.customer.say(button ? button.label : (step.says as string), button?.payload);
}

async function handoff(ctx: StepContext, step: HandoffStep): Promise<void> {
  let got = 'none';
  const ok = await eventually(ctx, async () => {
    await ctx.app.handoff.idle?.();
    const record = await ctx.app.handoff.get(ctx.customer.key);
    got = record ? `${record.state}${record.agentId ? ` with ${record.agentId}` : ''}` : 'none';
    const state = record?.state ?? 'none';
    return state === step.state && (!step.agent || record?.agentId === step.agent) ? true : undefined;
  });
  if (!ok) throw new StepMismatch(`handoff ${step.state}${step.agent ? ` with ${step.agent}` : ''}`, `handoff ${got}`);
}

async function agent(ctx: StepContext, step: AgentStep): Promise<void> {
  const done = await ctx.agents.act(step, ctx.customer.key, ctx.remoteAddress);
  ctx.transcript.push({ who: `${step.as} (console)`, text: done.join(', ') });
  await ctx.app.handoff.idle?.();
  await ctx.customer.sync();
}

async function csat(ctx: StepContext, step: CsatStep): Promise<void> {
  const button = ctx.customer.buttons().find((b) => b.label === String(step.score));
  if (!button)
    throw new StepMismatch(
      `a rating button ${step.score} on screen`,
      `buttons ${
        ctx.customer
          .buttons()
          .map((b) => `[${b.label}]`)
          .join(' ') || 'none'
      }`,
    );
  ctx.customer.unread.length = 0;
  ctx.last = await ctx.customer.say(button.label, button.payload);
  let got: number | undefined;
  const ok = await eventually(ctx, async () => {
    got = (await ctx.app.handoff.get(ctx.customer.key))?.csat;
    return got === step.score ? true : undefined;
  });
  if (!ok) throw new StepMismatch(`the rating ${step.score} recorded on the handoff`, got === undefined ? 'no rating recorded' : `rating ${got}`);
}

export async function runStep(ctx: StepContext, step: Step): Promise<void> {
  switch (step.kind) {
    case 'customer':
      return customer(ctx, step);
    case 'bot':
    case 'customer_sees':
      return see(ctx, step);
    case 'handoff':
      return handoff(ctx, step);
    case 'agent':
      return agent(ctx, step);
    case 'csat':
      return csat(ctx, step);
  }
}

/**
 * One story step (a one-key object such as `{ bot: "/order number/" }`) → a checked Step. Each
 * parser returns the step or a list of problems, so a file's every mistake is reported at once.
 */
import { z } from 'zod';
import { compilePattern, type Pattern } from './pattern';
import type { AgentStep, HandoffStateName, SeeStep, Step } from './story';

export const STEP_KINDS = ['customer', 'bot', 'customer_sees', 'handoff', 'agent', 'csat'] as const;
type StepKind = (typeof STEP_KINDS)[number];

export type Parsed<T> = { ok: true; value: T } | { ok: false; problems: string[] };

/** What the steps before this one set: the agent that agent steps without `as` act as. */
export interface StepScope {
  agent?: string;
}

const HANDOFF_STATES = ['none', 'queued', 'assigned', 'resolved', 'ticket', 'cancelled'] as const satisfies readonly HandoffStateName[];
const text = z.string().min(1, { error: 'must not be empty' });
const customerObject = z.object({ says: text.optional(), press: text.optional() }).strict();
const seeObject = z.object({ text: text.optional(), quickReplies: z.array(text).min(1).optional(), intent: text.optional(), silent: z.literal(true).optional() }).strict();
const seesObject = z.object({ text: text.optional(), quickReplies: z.array(text).min(1).optional(), from: z.enum(['bot', 'system', 'agent']).optional() }).strict();
const handoffObject = z.object({ state: z.enum(HANDOFF_STATES), agent: text.optional() }).strict();
const agentObject = z
  .object({
    as: text.optional(),
    status: z.enum(['online', 'away', 'offline']).optional(),
    claim: z.boolean().optional(),
    says: text.optional(),
    note: text.optional(),
    resolve: z.boolean().optional(),
  })
  .strict();

function issuesOf(error: z.ZodError): string[] {
  return error.issues.map((i) => `${i.path.length ? `${i.path.join('.')}: ` : ''}${i.message}`);
}

function checked<T>(schema: z.ZodType<T>, value: unknown): Parsed<T> {
  const r = schema.safeParse(value);
  return r.success ? { ok: true, value: r.data } : { ok: false, problems: issuesOf(r.error) };
}

/** Compiles patterns, collecting the invalid ones as problems. */
function patterns(sources: readonly string[], problems: string[]): Pattern[] {
  return sources.flatMap((s) => {
    try {
      return [compilePattern(s)];
    } catch (err) {
      problems.push(`pattern ${s} is not a valid regular expression (${(err as Error).message})`);
      return [];
    }
  });
}

function parseCustomer(value: unknown): Parsed<Step> {
  if (typeof value === 'string') return value ? { ok: true, value: { kind: 'customer', says: value } } : { ok: false, problems: ['must not be empty'] };
  const r = checked(customerObject, value);
  if (!r.ok) return r;
  if (!r.value.says === !r.value.press) return { ok: false, problems: ['give either says (what the customer types) or press (a button label)'] };
  if (r.value.says) return { ok: true, value: { kind: 'customer', says: r.value.says } };
  const problems: string[] = [];
  const [press] = patterns([r.value.press as string], problems);
  return press ? { ok: true, value: { kind: 'customer', press } } : { ok: false, problems };
}

function parseSee(kind: 'bot' | 'customer_sees', value: unknown): Parsed<Step> {
  const r = typeof value === 'string' ? { ok: true as const, value: { text: value } } : checked(kind === 'bot' ? seeObject : seesObject, value);
  if (!r.ok) return r;
  const v = r.value as z.output<typeof seeObject> & z.output<typeof seesObject>;
  if (!v.text && !v.quickReplies && !v.intent && !v.silent) return { ok: false, problems: ['expects nothing: give a text pattern, quickReplies, intent or silent'] };
  if (v.silent && (v.text || v.quickReplies)) return { ok: false, problems: ['silent expects no message, so it takes no text or quickReplies'] };
  const problems: string[] = [];
  const step: SeeStep = { kind };
  if (v.text) step.text = patterns([v.text], problems)[0];
  if (v.quickReplies) step.quickReplies = patterns(v.quickReplies, problems);
  if (v.intent) step.intent = v.intent;
  if (v.silent) step.silent = true;
  if (v.from) step.from = v.from;
  return problems.length ? { ok: false, problems } : { ok: true, value: step };
}

function parseHandoff(value: unknown): Parsed<Step> {
  const r = checked(handoffObject, typeof value === 'string' ? { state: value } : value);
  if (!r.ok) return r;
  return { ok: true, value: { kind: 'handoff', state: r.value.state, ...(r.value.agent ? { agent: r.value.agent } : {}) } };
}

function parseAgent(value: unknown, scope: StepScope): Parsed<Step> {
  const shorthand = value === 'claim' || value === 'resolve' ? { [value]: true } : value;
  if (typeof shorthand === 'string') return { ok: false, problems: [`"${shorthand}" is not an agent action; write claim, resolve, or an object such as { says: "…" }`] };
  const r = checked(agentObject, shorthand);
  if (!r.ok) return r;
  const { as = scope.agent, ...actions } = r.value;
  if (!as) return { ok: false, problems: ['name the agent first: { as: anna, … } (later agent steps keep them)'] };
  if (!Object.values(actions).some((a) => a !== undefined && a !== false)) return { ok: false, problems: ['does nothing: give status, claim, says, note or resolve'] };
  scope.agent = as;
  const step: AgentStep = { kind: 'agent', as };
  Object.assign(step, Object.fromEntries(Object.entries(actions).filter(([, a]) => a !== undefined && a !== false)));
  return { ok: true, value: step };
}

function parseCsat(value: unknown): Parsed<Step> {
  const r = checked(z.number().int().min(1).max(5), value);
  return r.ok ? { ok: true, value: { kind: 'csat', score: r.value } } : { ok: false, problems: ['must be a rating from 1 to 5'] };
}

/** Parses one step; `scope` carries the acting agent from one step to the next. */
export function parseStep(raw: unknown, scope: StepScope): Parsed<Step> {
  const keys = raw && typeof raw === 'object' && !Array.isArray(raw) ? Object.keys(raw) : [];
  if (keys.length !== 1 || !(STEP_KINDS as readonly string[]).includes(keys[0] as string)) {
    return { ok: false, problems: [`a step is an object with one key of ${STEP_KINDS.join(', ')} (got ${JSON.stringify(raw)})`] };
  }
  const kind = keys[0] as StepKind;
  const value = (raw as Record<string, unknown>)[kind];
  const parsed = parseOne(kind, value, scope);
  return parsed.ok ? parsed : { ok: false, problems: parsed.problems.map((p) => `${kind}: ${p}`) };
}

function parseOne(kind: StepKind, value: unknown, scope: StepScope): Parsed<Step> {
  switch (kind) {
    case 'customer':
      return parseCustomer(value);
    case 'bot':
    case 'customer_sees':
      return parseSee(kind, value);
    case 'handoff':
      return parseHandoff(value);
    case 'agent':
      return parseAgent(value, scope);
    case 'csat':
      return parseCsat(value);
  }
}

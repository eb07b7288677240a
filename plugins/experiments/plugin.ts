/**
 * The experiments plugin. Per turn:
 *  - `preDialog`: each running experiment's variant for this conversation (the one it entered
 *    with, else the hash of the customer or conversation), rolled-out variants for everyone, and
 *    their text and dialog overrides on `ctx.overrides`;
 *  - middleware (only when the bot answers, not while a person has the conversation): the
 *    conversation enters its variants, the variant's NLU threshold and handoff rules apply, and a
 *    finished answer to a resolving intent counts as resolved;
 *  - `onHandoff`: an escalation counts for the conversation's variants;
 *  - `onTurnEnd`: per-variant counters (`experiment:<id>:<variant>`), CSAT answers included.
 * What a conversation entered is kept in `session.plugins.experiments`, so it is counted once.
 */
import { type Engine, type Middleware, NONE_INTENT, type Plugin, type SessionState, type TurnContext } from '../../core';
import type { HandoffTurnNote } from '../handoff';
import { assignmentUnit, pickVariant } from './assign';
import { applyThreshold, handoffRulesOf, thresholdOf, turnOverrides } from './overrides';
import type { Experiment, Variant } from './schema';
import type { ExperimentStore, ExperimentView } from './store';

/** What a conversation entered: the variant, the turns it had before, and what happened since. */
interface Entry {
  v: string;
  t0: number;
  escalated?: true;
  resolved?: true;
}

/** One experiment in this turn. */
interface TurnPick {
  experiment: Experiment;
  variant: Variant;
  /** Running (counted), not rolled out. */
  counted: boolean;
  entered?: boolean;
  botTurn?: boolean;
  escalated?: boolean;
  resolvedAfter?: number;
}

declare module '../../core' {
  interface ContextVariables {
    experiments: { picks: TurnPick[] };
  }
}

/** Intents that never resolve anything on their own (small talk, cancel, asking for a person). */
export const NOT_RESOLVING = new Set([NONE_INTENT, 'greeting', 'thanks', 'goodbye', 'cancel', 'agent.request']);

export const counterScope = (experimentId: string, variantId: string) => `experiment:${experimentId}:${variantId}`;

function entries(s: SessionState): Record<string, Entry> {
  const current = s.plugins.experiments as Record<string, Entry> | undefined;
  if (current && typeof current === 'object') return current;
  const fresh: Record<string, Entry> = {};
  s.plugins.experiments = fresh;
  return fresh;
}

function pickFor(view: ExperimentView, ctx: TurnContext): TurnPick | undefined {
  const { experiment, status } = view;
  if (status.state === 'stopped') return undefined;
  if (status.state === 'rolled-out') {
    const variant = experiment.variants.find((v) => v.id === status.variant);
    return variant && { experiment, variant, counted: false };
  }
  const entered = entries(ctx.session)[experiment.id];
  const variant = experiment.variants.find((v) => v.id === entered?.v) ?? pickVariant(experiment.id, assignmentUnit(ctx.message), experiment.variants);
  return { experiment, variant, counted: true };
}

/** The conversation's entry in a counted experiment, made on its first bot turn or escalation. */
function enter(ctx: TurnContext, pick: TurnPick): Entry | undefined {
  if (!pick.counted) return undefined;
  const all = entries(ctx.session);
  const id = pick.experiment.id;
  if (all[id]?.v !== pick.variant.id) {
    all[id] = { v: pick.variant.id, t0: ctx.session.turns };
    pick.entered = true;
  }
  return all[id];
}

function resolves(experiment: Experiment, intent: string): boolean {
  return experiment.resolvingIntents ? experiment.resolvingIntents.includes(intent) : !NOT_RESOLVING.has(intent);
}

/** The bot finished answering a resolving intent, with nothing pending and nobody called. */
function markResolved(ctx: TurnContext, picks: readonly TurnPick[]): void {
  const s = ctx.session;
  const intent = ctx.classification.intent;
  if (ctx.handoffRequest || s.dialog || s.fallbacks > 0) return;
  for (const pick of picks) {
    const entry = pick.counted ? entries(s)[pick.experiment.id] : undefined;
    if (!entry || entry.resolved || entry.escalated || !resolves(pick.experiment, intent)) continue;
    entry.resolved = true;
    pick.resolvedAfter = s.turns + 1 - entry.t0; // this turn included (recordTurn counts it after the dialog)
  }
}

const middleware: Middleware = async (ctx, next) => {
  const picks = ctx.vars.experiments?.picks ?? [];
  if (!picks.length) return next();
  for (const pick of picks) if (enter(ctx, pick)) pick.botTurn = true;
  const variants = picks.map((p) => p.variant);
  const threshold = thresholdOf(variants);
  if (threshold !== undefined) applyThreshold(ctx.classification, threshold);
  const rules = handoffRulesOf(variants);
  const sentiment = ctx.classification.sentiment?.score ?? 0;
  if (rules.angerThreshold && sentiment <= -rules.angerThreshold) return ctx.handoff('sentiment', `score=${sentiment.toFixed(2)} experiment`);
  await next();
  if (!ctx.handoffRequest && rules.afterFallbacks && ctx.session.fallbacks >= rules.afterFallbacks) ctx.handoff('misunderstood', `fallbacks=${ctx.session.fallbacks} experiment`);
  markResolved(ctx, picks);
};

/** After the handoff plugin's own hook: it escalated when it wrote `firstEscalation` (a refusal by the limits does not). */
function onHandoff(ctx: TurnContext): void {
  const note: HandoffTurnNote | undefined = ctx.vars.handoff;
  if (note?.firstEscalation === undefined) return;
  for (const pick of ctx.vars.experiments?.picks ?? []) {
    const entry = enter(ctx, pick);
    if (!entry || entry.escalated) continue;
    entry.escalated = true;
    pick.escalated = true;
  }
}

function countTurn(engine: Engine, ctx: TurnContext): void {
  const csat = ctx.vars.handoff?.csat;
  for (const pick of ctx.vars.experiments?.picks ?? []) {
    if (!pick.counted || entries(ctx.session)[pick.experiment.id]?.v !== pick.variant.id) continue;
    const d: Record<string, number> = {};
    if (pick.entered) d.conversations = 1;
    if (pick.botTurn) d.botTurns = 1;
    if (pick.escalated) d.escalated = 1;
    if (pick.resolvedAfter) Object.assign(d, { resolved: 1, resolutionTurns: pick.resolvedAfter, resolutionTurnsSquared: pick.resolvedAfter ** 2 });
    if (csat) d[`csat:${csat.score}`] = 1;
    if (Object.keys(d).length) engine.counters.add(counterScope(pick.experiment.id, pick.variant.id), d);
  }
}

/** The plugin; register it after the handoff plugin (its middleware must run inside the handoff's). */
export function createExperimentsPlugin(store: ExperimentStore): Plugin<void> {
  return {
    name: 'experiments',
    after: ['handoff'], // reads the handoff's turn note when it is there
    register(engine) {
      engine.addHook('preDialog', async (ctx) => {
        const picks = (await store.list()).map((view) => pickFor(view, ctx)).filter((p): p is TurnPick => p !== undefined);
        ctx.vars.experiments = { picks };
        if (picks.length) ctx.overrides = turnOverrides(picks.map((p) => p.variant));
      });
      engine.use(middleware);
      engine.addHook('onHandoff', onHandoff);
      engine.addHook('onTurnEnd', (ctx) => countTurn(engine, ctx));
    },
  };
}

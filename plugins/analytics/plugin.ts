/**
 * The engine side of analytics, on three hooks and one middleware:
 *  - `preDialog` marks the conversation's day in `session.plugins.analytics` (saved with the turn),
 *    so a conversation counts once per day however many turns and retries it has;
 *  - a middleware around the dialog sees whether the turn was a miss (the fallback ran, or the text
 *    was neither an intent nor a valid answer: `session.fallbacks` grew) before the handoff plugin's
 *    `onHandoff` resets that count;
 *  - `onTurnEnd` (once, after the turn was saved) adds the turn to its day bucket through the
 *    engine's counter buffer and keeps a missed text in the inbox. Neither is awaited by the turn,
 *    and neither can fail it. The turn's notes live on `ctx.vars.analytics`.
 */
import { NONE_INTENT } from '../../core/classifier';
import type { TurnContext } from '../../core/context';
import type { Engine, Plugin } from '../../core/engine';
import { asCodedError } from '../../core/errors';
import type { Logger } from '../../core/logger';
import type { TurnResult } from '../../core/model';
import { withFields } from '../../core/objects';
import { FALLBACK_DIALOG_ID } from '../../core/run-dialog';
import { bucketCounters, createIntentNamer, dayScope } from './buckets';
import type { DayOf } from './day';
import type { Inbox } from './inbox';

export interface AnalyticsTurnNote {
  day: string;
  firstToday: boolean;
  missed: boolean;
}

declare module '../../core/context' {
  interface ContextVariables {
    analytics: AnalyticsTurnNote;
  }
}

interface SessionMark {
  day?: string;
}

export interface AnalyticsPluginDeps {
  inbox: () => Inbox;
  dayOf: DayOf;
  log: () => Logger;
  /** Keeps a background promise for `idle()`. */
  track(p: Promise<unknown>): void;
}

export function createAnalyticsPlugin(deps: AnalyticsPluginDeps, hooks: { attach(engine: Engine): void; close(): Promise<void> }): Plugin<void> {
  const intentName = createIntentNamer();
  let engine: Engine | undefined;

  function preDialog(ctx: TurnContext): void {
    const day = deps.dayOf(ctx.now);
    const mark = (ctx.session.plugins.analytics ?? {}) as SessionMark;
    ctx.vars.analytics = { day, firstToday: mark.day !== day, missed: false };
    ctx.session.plugins.analytics = withFields(mark, { day }) satisfies SessionMark;
  }

  async function middleware(ctx: TurnContext, next: () => Promise<void>): Promise<void> {
    const before = ctx.session.fallbacks;
    await next();
    const note = ctx.vars.analytics;
    if (note) note.missed = ctx.session.fallbacks > before;
  }

  function onTurnEnd(ctx: TurnContext, result: TurnResult): void {
    const note = ctx.vars.analytics;
    if (!note || !engine) return;
    try {
      const { intent } = ctx.classification;
      // The bot answered when the dialog step ran (not while a person has the conversation, not the CSAT answer).
      const bot = result.dialogId !== undefined;
      const fallback = bot && result.dialogId === FALLBACK_DIALOG_ID;
      const scope = dayScope(note.day, ctx.message.channel, ctx.locale);
      const counted = bot && intent !== NONE_INTENT ? intentName(scope, intent.slice(0, 64)) : undefined;
      engine.counters.add(
        scope,
        bucketCounters({
          conversations: note.firstToday ? 1 : 0,
          turns: 1,
          botTurns: bot ? 1 : 0,
          fallbackTurns: fallback ? 1 : 0,
          noneTurns: bot && intent === NONE_INTENT ? 1 : 0,
          intents: counted ? { [counted]: 1 } : {},
        }),
      );
      const m = ctx.message;
      if (bot && (note.missed || fallback) && m.kind === 'text' && m.payload === undefined && m.text.trim()) {
        const kept = deps.inbox().record({ text: m.text, locale: ctx.locale, channel: m.channel, ranking: ctx.classification.ranking, at: ctx.now });
        deps.track(kept.catch((err: unknown) => deps.log().warn({ code: asCodedError(err).code }, 'unrecognised message not kept in the inbox')));
      }
    } catch (err) {
      deps.log().warn({ code: asCodedError(err).code }, 'analytics could not count a turn');
    }
  }

  return {
    name: 'analytics',
    register(e) {
      engine = e;
      hooks.attach(e);
      e.addHook('preDialog', preDialog);
      e.use(middleware);
      e.addHook('onTurnEnd', onTurnEnd);
      e.addHook('onClose', () => hooks.close());
    },
  };
}

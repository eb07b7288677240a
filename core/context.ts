/**
 * The typed turn context every middleware and dialog receives (grammY's Context).
 * Plugins add per-turn variables by declaration merging into {@link ContextVariables}.
 */
import type { Classification } from './classifier';
import type { Logger } from './logger';
import type { ConversationRef, Locale, OutboundMessage, ParsedInbound } from './model';
import type { SessionState } from './session';

/**
 * Per-turn variables plugins put on `ctx.vars`. Extend it with declaration merging:
 * @example
 * declare module 'kefu/core' { interface ContextVariables { vip: boolean } }
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging
export interface ContextVariables {}

/** Why a conversation goes to a human. */
export type HandoffReason = 'requested' | 'misunderstood' | 'sentiment' | 'dialog' | 'rule';

export interface HandoffRequest {
  reason: HandoffReason;
  /** Short machine-readable detail (a rule name, a score), never customer text. */
  detail?: string;
}

/** A reply as dialogs write it: the locale defaults to the turn's. */
export type ReplyInput = string | (Omit<OutboundMessage, 'locale'> & { locale?: Locale });

export interface TurnContext<S extends object = Record<string, unknown>> {
  readonly turnId: string;
  readonly message: ParsedInbound;
  readonly ref: ConversationRef;
  /** The conversation's language for this turn (sticky; follows the customer's text). */
  locale: Locale;
  readonly classification: Classification;
  readonly session: SessionState;
  /** Dialog-owned persistent data (`session.data`), typed by the author. */
  readonly data: S;
  readonly replies: OutboundMessage[];
  readonly log: Logger;
  readonly vars: Partial<ContextVariables>;
  /** Injected clock reading at the start of the turn (ms). */
  readonly now: number;
  /** Queue a message to the customer; sent after the session is saved. */
  reply(message: ReplyInput): void;
  /** Ask for a human. The handoff plugin, when registered, takes it from there. */
  handoff(reason: HandoffReason, detail?: string): void;
  handoffRequest?: HandoffRequest;
  /** Text and dialog overrides for this turn (see {@link TurnOverrides}). */
  overrides?: TurnOverrides;
}

/**
 * Per-turn changes to what the bot says and which dialog answers (A/B experiments set them in a
 * `preDialog` hook). Absent: the dialogs' own texts and triggers.
 */
export interface TurnOverrides {
  /** A replacement template for a dialog's text key in a locale, or undefined to keep the dialog's. */
  text?(dialogId: string, key: string, locale: Locale): string | undefined;
  /** The id of the dialog that answers `intent` instead of the one it triggers, or undefined. */
  dialogFor?(intent: string): string | undefined;
}

/** Middleware around the dialog step, as in grammY/Koa. Calling `next` twice throws. */
export type Middleware = (ctx: TurnContext, next: () => Promise<void>) => Promise<void> | void;

/**
 * The context a dialog's code receives: the turn's context, read and written through (what a
 * dialog sets, such as `locale` or `handoffRequest`, is the turn's), plus helpers bound to the
 * dialog's texts. One class, so every dialog step's context has the same shape and building one
 * costs no hidden class of its own. (It was `Object.create(turnContext)` plus a `memory` accessor
 * defined on each: every turn's context became a prototype, and the hidden classes made for it, in
 * the old generation, kept the turn's objects alive through every scavenge until the next full GC,
 * about 5 KiB promoted per turn.)
 */
import type { HandoffReason, HandoffRequest, ReplyInput, TurnContext, TurnOverrides } from './context';
import type { Dialog } from './dialog';
import type { DialogDataRecord, DialogMemory, MemoryKey } from './dialog-memory';
import type { Locale, QuickReply } from './model';

export type TextVars = Readonly<Record<string, string | number>>;

/** What the dialog helpers do, implemented by the turn's dialog runner. */
export interface DialogActions {
  text(dialog: Dialog, key: string, vars?: TextVars): string;
  say(dialog: Dialog, key: string, vars?: TextVars, quickReplies?: QuickReply[]): void;
  start(target: Dialog | string, values: Record<string, unknown>): void;
  cancelAll(): void;
  labelFor(intent: string): string | undefined;
  memory(): Readonly<Partial<DialogMemory>>;
  remember(key: MemoryKey, value: unknown): void;
  forget(key: MemoryKey): void;
}

export class BoundDialogContext implements TurnContext<DialogDataRecord> {
  readonly #turn: TurnContext;
  readonly #actions: DialogActions;
  readonly #dialog: Dialog;

  constructor(turn: TurnContext, actions: DialogActions, dialog: Dialog) {
    this.#turn = turn;
    this.#actions = actions;
    this.#dialog = dialog;
  }

  get turnId(): string {
    return this.#turn.turnId;
  }
  get message(): TurnContext['message'] {
    return this.#turn.message;
  }
  get ref(): TurnContext['ref'] {
    return this.#turn.ref;
  }
  get locale(): Locale {
    return this.#turn.locale;
  }
  set locale(locale: Locale) {
    this.#turn.locale = locale;
  }
  get classification(): TurnContext['classification'] {
    return this.#turn.classification;
  }
  get session(): TurnContext['session'] {
    return this.#turn.session;
  }
  get data(): DialogDataRecord {
    return this.#turn.data as DialogDataRecord;
  }
  get replies(): TurnContext['replies'] {
    return this.#turn.replies;
  }
  get log(): TurnContext['log'] {
    return this.#turn.log;
  }
  get vars(): TurnContext['vars'] {
    return this.#turn.vars;
  }
  get now(): number {
    return this.#turn.now;
  }
  get handoffRequest(): HandoffRequest | undefined {
    return this.#turn.handoffRequest;
  }
  set handoffRequest(request: HandoffRequest | undefined) {
    if (request === undefined) delete this.#turn.handoffRequest;
    else this.#turn.handoffRequest = request;
  }
  get overrides(): TurnOverrides | undefined {
    return this.#turn.overrides;
  }
  set overrides(overrides: TurnOverrides | undefined) {
    if (overrides === undefined) delete this.#turn.overrides;
    else this.#turn.overrides = overrides;
  }
  reply(message: ReplyInput): void {
    this.#turn.reply(message);
  }
  handoff(reason: HandoffReason, detail?: string): void {
    this.#turn.handoff(reason, detail);
  }

  t(key: string, vars?: TextVars): string {
    return this.#actions.text(this.#dialog, key, vars);
  }
  say(key: string, vars?: TextVars, quickReplies?: QuickReply[]): void {
    this.#actions.say(this.#dialog, key, vars, quickReplies);
  }
  start(target: Dialog | string, values: Record<string, unknown> = {}): void {
    this.#actions.start(target, values);
  }
  cancelAll(): void {
    this.#actions.cancelAll();
  }
  labelFor(intent: string): string | undefined {
    return this.#actions.labelFor(intent);
  }
  get memory(): Readonly<Partial<DialogMemory>> {
    return this.#actions.memory();
  }
  remember(key: MemoryKey, value: unknown): void {
    this.#actions.remember(key, value);
  }
  forget(key: MemoryKey): void {
    this.#actions.forget(key);
  }
}

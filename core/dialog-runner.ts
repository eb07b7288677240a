/**
 * Runs one turn's worth of a dialog: fills slots (from `start` values, the first message or the
 * memory), skips conditional slots, runs step slots (branches), asks the next empty slot or runs
 * the dialog, then whatever it chained with `ctx.start`.
 */
import type { TurnContext } from './context';
import type { Dialog, DialogContext } from './dialog';
import { BoundDialogContext, type DialogActions, type TextVars } from './dialog-context';
import { memoryOf } from './dialog-memory';
import { fillTemplate } from './dialog-texts';
import { DialogError, KefuError } from './errors';
import { LOCALES, type QuickReply } from './model';
import type { DialogRegistry } from './run-dialog';
import type { DialogFrame } from './session';
import type { SlotInput, SlotProblem, SlotSpec } from './slots';

/** The turn's message as a slot reads it, with the dialog's texts for matching button labels. */
export function slotInput(ctx: TurnContext, dialog: Dialog): SlotInput {
  const { text, payload } = ctx.message;
  return { text, payload, entities: ctx.classification.entities, locale: ctx.locale, textsOf: textsOf(dialog) };
}

const EMPTY_INPUT = (ctx: TurnContext, dialog: Dialog): SlotInput => ({ text: '', entities: [], locale: ctx.locale, textsOf: textsOf(dialog) });

function textsOf(dialog: Dialog): (key: string) => readonly string[] {
  return (key) => LOCALES.flatMap((l) => dialog.texts[l][key] ?? []);
}

type Vars = TextVars;

/** Slot values and memory values that can fill a prompt's placeholders of the same name. */
function placeholderValues(values: Readonly<Record<string, unknown>>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(values)) if (typeof v === 'string' || typeof v === 'number') out[k] = v;
  return out;
}

/** Dialogs one turn may start through `ctx.start` before the turn fails (a dialog restarting itself forever). */
export const MAX_CHAINED_STARTS = 20;

export class DialogRunner {
  private requested?: { id: string; values: Record<string, unknown> };
  private cancelled = false;
  private chainedStarts = 0;
  private readonly memory;
  /** The helpers every dialog context of this turn calls (one set per turn, not per step). */
  private readonly actions: DialogActions;

  constructor(
    readonly ctx: TurnContext,
    private readonly registry: DialogRegistry,
  ) {
    const memory = memoryOf(ctx.session, ctx.now);
    this.memory = memory;
    this.actions = {
      text: (dialog, key, vars) => this.text(dialog, key, vars),
      say: (dialog, key, vars, quickReplies) => this.say(dialog, key, vars, quickReplies),
      start: (target, values) => {
        this.requested = { id: typeof target === 'string' ? target : target.id, values };
      },
      cancelAll: () => {
        this.cancelled = true;
      },
      labelFor: (intent) => registry.byIntent.get(intent)?.label?.[ctx.locale],
      memory: () => memory.snapshot(),
      remember: (key, value) => memory.set(key as never, value as never),
      forget: (key) => memory.delete(key as never),
    };
  }

  dialog(id: string): Dialog {
    const d = this.registry.byId.get(id);
    if (!d) throw new KefuError('KEFU_ERR_DIALOG_UNKNOWN', `Dialog "${id}" is not registered; register it with the engine.`);
    return d;
  }

  /** Starts `dialog`: `values` first, then slots the first message fills, then on to the next slot. */
  async start(dialog: Dialog, input: SlotInput, values: Record<string, unknown> = {}): Promise<void> {
    const frame: DialogFrame = { id: dialog.id, version: dialog.version, values: { ...values }, attempts: 0 };
    for (const [name, spec] of Object.entries(dialog.slots)) {
      if (!spec.prefill || name in frame.values || (spec.when && !spec.when(frame.values))) continue;
      const r = await spec.validate(input);
      if (r.ok) this.set(frame, name, spec, r.value);
    }
    await this.continue(dialog, frame);
  }

  /** The awaited slot got a fitting answer. */
  async fill(dialog: Dialog, frame: DialogFrame, value: unknown): Promise<void> {
    const name = frame.awaiting as string;
    this.set(frame, name, dialog.slots[name] as SlotSpec, value);
    frame.awaiting = undefined;
    frame.attempts = 0;
    this.ctx.session.fallbacks = 0;
    await this.continue(dialog, frame);
  }

  private set(frame: DialogFrame, name: string, spec: SlotSpec, value: unknown): void {
    frame.values[name] = value;
    if (spec.remember) this.memory.set(spec.remember as never, value as never);
  }

  /** Fills what it can without asking, then asks the next empty slot, or runs the dialog. */
  async continue(dialog: Dialog, frame: DialogFrame): Promise<void> {
    for (const [name, spec] of Object.entries(dialog.slots)) {
      if (name in frame.values || (spec.when && !spec.when(frame.values))) continue;
      const remembered = spec.fromMemory ? this.memory.get(spec.fromMemory as never) : undefined;
      if (remembered !== undefined) {
        this.set(frame, name, spec, remembered);
        continue;
      }
      if (spec.kind === 'step') {
        const value = await this.runCode(dialog, () => spec.step?.(this.contextFor(dialog) as never, frame.values));
        if (value === undefined) return this.end();
        this.set(frame, name, spec, value);
        continue;
      }
      frame.awaiting = name;
      this.ctx.session.dialog = frame;
      this.prompt(dialog, name, frame.values);
      return;
    }
    this.ctx.session.dialog = undefined;
    await this.runCode(dialog, () => dialog.run(this.contextFor(dialog), frame.values));
    await this.end();
  }

  private async runCode<R>(dialog: Dialog, code: () => R | Promise<R>): Promise<R> {
    this.ctx.session.dialog = undefined;
    try {
      return await code();
    } catch (err) {
      throw new DialogError(err, dialog.id, this.ctx.turnId);
    }
  }

  /** After `run` (or a step that ended the dialog): drop everything on cancel, start a chained dialog. */
  private async end(): Promise<void> {
    if (this.cancelled) this.ctx.session.stack = [];
    const chained = this.requested;
    this.requested = undefined;
    if (!chained) return;
    this.chainedStarts += 1;
    if (this.chainedStarts > MAX_CHAINED_STARTS) {
      throw new DialogError(new Error(`more than ${MAX_CHAINED_STARTS} ctx.start() calls in one turn; a dialog keeps starting itself`), chained.id, this.ctx.turnId);
    }
    const next = this.dialog(chained.id);
    await this.start(next, EMPTY_INPUT(this.ctx, next), chained.values);
  }

  async retry(dialog: Dialog, frame: DialogFrame, problem: SlotProblem): Promise<void> {
    const s = this.ctx.session;
    frame.attempts += 1;
    s.fallbacks += 1;
    const spec = dialog.slots[frame.awaiting as string];
    if (!spec || frame.attempts >= spec.maxAttempts) {
      s.dialog = undefined;
      const giveUp = spec?.giveUp ?? 'giveUp';
      if (dialog.texts[this.ctx.locale][giveUp] !== undefined) this.say(dialog, giveUp);
      return;
    }
    const { key, vars } = typeof problem === 'string' ? { key: problem, vars: undefined } : problem;
    if (key && key !== spec.prompt) this.say(dialog, key, vars);
    this.prompt(dialog, frame.awaiting as string, frame.values);
  }

  /** After a dialog ends, the most recently interrupted one asks its question again. */
  async resumeIfIdle(): Promise<void> {
    const s = this.ctx.session;
    // A human takes over: asking the interrupted question again would talk over the agent.
    if (s.dialog || this.ctx.handoffRequest) return;
    const frame = s.stack.pop();
    if (!frame?.awaiting) return;
    s.dialog = frame;
    this.prompt(this.dialog(frame.id), frame.awaiting, frame.values);
  }

  private prompt(dialog: Dialog, slotName: string, values: Readonly<Record<string, unknown>>): void {
    const spec = dialog.slots[slotName];
    if (!spec) return;
    const texts = dialog.texts[this.ctx.locale];
    const quickReplies = spec.buttons?.map((b) => ({ payload: b.payload, label: typeof b.label === 'string' ? (texts[b.label] ?? b.payload) : b.label[this.ctx.locale] }));
    const vars = Object.assign(placeholderValues(this.memory.snapshot()), placeholderValues(values), spec.promptVars?.(values));
    this.say(dialog, spec.prompt, vars, quickReplies);
  }

  private say(dialog: Dialog, key: string, vars?: Vars, quickReplies?: QuickReply[]): void {
    const text = this.text(dialog, key, vars);
    this.ctx.reply(quickReplies?.length ? { text, quickReplies } : text);
  }

  private text(dialog: Dialog, key: string, vars?: Vars): string {
    const template = this.ctx.overrides?.text?.(dialog.id, key, this.ctx.locale) ?? dialog.texts[this.ctx.locale][key];
    if (template === undefined) throw new KefuError('KEFU_ERR_DIALOG_TEXT_MISSING', `Dialog "${dialog.id}" has no ${this.ctx.locale} text "${key}"; add it to its texts.`);
    return fillTemplate(template, vars);
  }

  private contextFor(dialog: Dialog): DialogContext {
    return new BoundDialogContext(this.ctx, this.actions, dialog) as unknown as DialogContext;
  }
}

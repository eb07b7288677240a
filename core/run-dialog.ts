/**
 * The dialog step of a turn: continue the active dialog's slot filling, let a recognised intent
 * interrupt it (the interrupted dialog resumes afterwards), or start the dialog an intent triggers,
 * else the fallback.
 */
import { NONE_INTENT } from './classifier';
import type { TurnContext } from './context';
import { type Dialog, type DialogContext, fillTemplate, type SlotInput, type SlotProblem } from './dialog';
import { DialogError, KefuError } from './errors';
import type { DialogFrame } from './session';

export interface DialogRegistry {
  byId: ReadonlyMap<string, Dialog>;
  byIntent: ReadonlyMap<string, Dialog>;
  fallback: Dialog;
}

export const FALLBACK_DIALOG_ID = 'fallback';

export function createDialogRegistry(dialogs: readonly Dialog[]): DialogRegistry {
  const byId = new Map<string, Dialog>();
  const byIntent = new Map<string, Dialog>();
  for (const d of dialogs) {
    if (byId.has(d.id)) throw new KefuError('KEFU_ERR_DIALOG_DUPLICATE', `Two dialogs have the id "${d.id}"; give each dialog a unique id.`);
    byId.set(d.id, d);
    for (const intent of d.triggers) byIntent.set(intent, d);
  }
  const fallback = byId.get(FALLBACK_DIALOG_ID);
  if (!fallback) throw new KefuError('KEFU_ERR_DIALOG_UNKNOWN', `No dialog with id "${FALLBACK_DIALOG_ID}" is registered; add one (see dialogs/fallback.ts).`);
  return { byId, byIntent, fallback };
}

/** Runs the dialog step; returns the id of the dialog that handled the turn. */
export async function runDialogStep(ctx: TurnContext, registry: DialogRegistry): Promise<string> {
  const s = ctx.session;
  const isCurrent = (f: DialogFrame) => registry.byId.get(f.id)?.version === f.version;
  if (s.dialog && !isCurrent(s.dialog)) s.dialog = undefined; // redeployed dialog: restart, never resume at a wrong step
  s.stack = s.stack.filter(isCurrent);

  const { intent } = ctx.classification;
  const trigger = intent === NONE_INTENT ? undefined : registry.byIntent.get(intent);
  const input: SlotInput = { text: ctx.message.text, payload: ctx.message.payload, entities: ctx.classification.entities, locale: ctx.locale };
  const runner = new DialogRunner(ctx, registry);
  const frame = s.dialog;

  if (frame?.awaiting) {
    const dialog = registry.byId.get(frame.id) as Dialog;
    const spec = dialog.slots[frame.awaiting];
    const answer = spec ? await spec.validate(input) : { ok: false as const, error: '' };
    const interrupted = trigger && trigger.id !== frame.id && (!answer.ok || spec?.kind === 'text');
    if (!interrupted && spec) {
      if (answer.ok) {
        frame.values[frame.awaiting] = answer.value;
        frame.awaiting = undefined;
        frame.attempts = 0;
        s.fallbacks = 0;
        await runner.continue(dialog, frame);
      } else {
        await runner.retry(dialog, frame, answer.error);
      }
      await runner.resumeIfIdle();
      return dialog.id;
    }
    s.stack.push(frame);
    s.dialog = undefined;
  }

  const chosen = trigger ?? registry.fallback;
  s.fallbacks = trigger ? 0 : s.fallbacks + 1;
  await runner.start(chosen, input);
  await runner.resumeIfIdle();
  return chosen.id;
}

class DialogRunner {
  private requested?: { id: string; values: Record<string, unknown> };
  private cancelled = false;

  constructor(
    private readonly ctx: TurnContext,
    private readonly registry: DialogRegistry,
  ) {}

  async start(dialog: Dialog, input: SlotInput, values: Record<string, unknown> = {}): Promise<void> {
    const frame: DialogFrame = { id: dialog.id, version: dialog.version, values: { ...values }, attempts: 0 };
    for (const [name, spec] of Object.entries(dialog.slots)) {
      if (!spec.prefill || name in frame.values) continue;
      const r = await spec.validate(input);
      if (r.ok) frame.values[name] = r.value;
    }
    await this.continue(dialog, frame);
  }

  /** Asks for the next empty slot, or runs the dialog when all are filled. */
  async continue(dialog: Dialog, frame: DialogFrame): Promise<void> {
    const s = this.ctx.session;
    const next = Object.keys(dialog.slots).find((name) => !(name in frame.values));
    if (next) {
      frame.awaiting = next;
      s.dialog = frame;
      this.prompt(dialog, next, frame.values);
      return;
    }
    s.dialog = undefined;
    const dctx = this.contextFor(dialog);
    try {
      await dialog.run(dctx, frame.values);
    } catch (err) {
      throw new DialogError(err, dialog.id, this.ctx.turnId);
    }
    if (this.cancelled) s.stack = [];
    const chained = this.requested;
    this.requested = undefined;
    if (chained) {
      const d = this.registry.byId.get(chained.id);
      if (!d) throw new KefuError('KEFU_ERR_DIALOG_UNKNOWN', `Dialog "${dialog.id}" started "${chained.id}", which is not registered.`);
      await this.start(d, { text: '', entities: [], locale: this.ctx.locale }, chained.values);
    }
  }

  async retry(dialog: Dialog, frame: DialogFrame, problem: SlotProblem): Promise<void> {
    const s = this.ctx.session;
    frame.attempts += 1;
    s.fallbacks += 1;
    const spec = dialog.slots[frame.awaiting as string];
    if (!spec || frame.attempts >= spec.maxAttempts) {
      s.dialog = undefined;
      if (dialog.texts[this.ctx.locale].giveUp) this.say(dialog, 'giveUp');
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
    this.prompt(this.registry.byId.get(frame.id) as Dialog, frame.awaiting, frame.values);
  }

  private prompt(dialog: Dialog, slotName: string, values: Readonly<Record<string, unknown>>): void {
    const spec = dialog.slots[slotName];
    if (!spec) return;
    const texts = dialog.texts[this.ctx.locale];
    const quickReplies = spec.options ? Object.entries(spec.options).map(([labelKey, payload]) => ({ label: texts[labelKey] ?? payload, payload })) : undefined;
    this.say(dialog, spec.prompt, spec.promptVars?.(values) ?? {}, quickReplies);
  }

  private say(dialog: Dialog, key: string, vars?: Record<string, string | number>, quickReplies?: { label: string; payload: string }[]): void {
    this.ctx.reply(quickReplies?.length ? { text: this.text(dialog, key, vars), quickReplies } : this.text(dialog, key, vars));
  }

  private text(dialog: Dialog, key: string, vars?: Record<string, string | number>): string {
    const template = dialog.texts[this.ctx.locale][key];
    if (template === undefined) throw new KefuError('KEFU_ERR_DIALOG_TEXT_MISSING', `Dialog "${dialog.id}" has no ${this.ctx.locale} text "${key}"; add it to its texts.`);
    return fillTemplate(template, vars);
  }

  private contextFor(dialog: Dialog): DialogContext {
    const ctx = this.ctx;
    return Object.assign(Object.create(ctx) as TurnContext, {
      t: (key: string, vars?: Record<string, string | number>) => this.text(dialog, key, vars),
      say: (key: string, vars?: Record<string, string | number>, quickReplies?: { label: string; payload: string }[]) => this.say(dialog, key, vars, quickReplies),
      start: (id: string, values: Record<string, unknown> = {}) => {
        this.requested = { id, values };
      },
      cancelAll: () => {
        this.cancelled = true;
      },
      labelFor: (intent: string) => this.registry.byIntent.get(intent)?.label?.[ctx.locale],
    });
  }
}

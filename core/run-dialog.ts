/**
 * The dialog step of a turn: continue the active dialog's slot filling, let a recognised intent
 * interrupt it when the slot allows (the interrupted dialog resumes afterwards), or start the
 * dialog an intent triggers, else the fallback.
 */
import { NONE_INTENT } from './classifier';
import type { TurnContext } from './context';
import type { Dialog } from './dialog';
import { interrupts } from './dialog-interrupt';
import { DialogRunner, slotInput } from './dialog-runner';
import { KefuError } from './errors';
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
  const trigger = intent === NONE_INTENT ? undefined : triggered(ctx, registry, intent);
  const runner = new DialogRunner(ctx, registry);
  const frame = s.dialog;

  if (frame?.awaiting) {
    const answered = await answerAwaited(runner, frame, trigger, intent);
    if (answered) return answered;
    s.stack.push(frame);
    s.dialog = undefined;
  }

  const chosen = trigger ?? registry.fallback;
  s.fallbacks = trigger ? 0 : s.fallbacks + 1;
  await runner.start(chosen, slotInput(ctx, chosen));
  await runner.resumeIfIdle();
  return chosen.id;
}

/** The dialog an intent triggers, or the one this turn's overrides put in its place (an A/B variant). */
function triggered(ctx: TurnContext, registry: DialogRegistry, intent: string): Dialog | undefined {
  const replacement = ctx.overrides?.dialogFor?.(intent);
  return (replacement ? registry.byId.get(replacement) : undefined) ?? registry.byIntent.get(intent);
}

/** Gives the message to the awaited slot unless an intent interrupts it; returns the dialog id when answered. */
async function answerAwaited(runner: DialogRunner, frame: DialogFrame, trigger: Dialog | undefined, intent: string): Promise<string | undefined> {
  const dialog = runner.dialog(frame.id);
  const spec = dialog.slots[frame.awaiting as string];
  if (!spec) return undefined;
  const answer = await spec.validate(slotInput(runner.ctx, dialog));
  if (interrupts(spec, answer.ok, dialog, trigger, intent)) return undefined;
  if (answer.ok) await runner.fill(dialog, frame, answer.value);
  else await runner.retry(dialog, frame, answer.error);
  await runner.resumeIfIdle();
  return dialog.id;
}

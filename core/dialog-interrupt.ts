/**
 * Whether a recognised intent interrupts the slot a dialog is waiting for. A validated slot keeps
 * an answer that fits; an answer that does not fit, or any answer to a free-text slot, gives way
 * to an intent the slot allows (see `Interruptible` in core/slots.ts).
 */
import type { Dialog } from './dialog';
import type { SlotSpec } from './slots';

export function interrupts(spec: SlotSpec, answerFits: boolean, current: Dialog, trigger: Dialog | undefined, intent: string): boolean {
  if (!trigger || trigger.id === current.id) return false;
  const freeText = spec.freeText === true;
  const policy = spec.interruptible ?? (freeText ? [] : true);
  if (policy === false) return false;
  const allowed = policy === true || trigger.escape === true || policy.includes(intent);
  return allowed && (!answerFits || freeText);
}

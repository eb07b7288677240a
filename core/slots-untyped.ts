/**
 * The slot builders exported as `slot`, for `slots: { … }` objects written outside a dialog's
 * typed `slots: (slot) => …`. Their keys are checked when the dialog is defined, not compiled.
 */
import type { TextTable } from './dialog-texts';
import { type ChoiceOption, type ChoiceSlotOptions, type ConfirmSlotOptions, createSlotBuilders, type EntitySlotOptions, type SlotSpec, type TextSlotOptions } from './slots';

export interface UntypedSlotBuilders {
  text<T = string>(opts: TextSlotOptions<T, TextTable>): SlotSpec<T, never>;
  entity<T = string>(type: string, opts: EntitySlotOptions<T, TextTable>): SlotSpec<T, never>;
  choice<const C extends string>(options: readonly ChoiceOption<C, TextTable>[], opts: ChoiceSlotOptions<C, TextTable>): SlotSpec<C, never>;
  choice<C extends string>(options: Readonly<Record<C, string>>, opts: ChoiceSlotOptions<C, TextTable>): SlotSpec<C, never>;
  confirm(opts: ConfirmSlotOptions<TextTable>): SlotSpec<'yes' | 'no', never>;
}

export const untypedSlotBuilders: UntypedSlotBuilders = createSlotBuilders<TextTable>() as unknown as UntypedSlotBuilders;

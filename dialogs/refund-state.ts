/**
 * What the refund dialog keeps in `session.data.refund`: the refunds already filed in this
 * conversation (order → reference). It is typed through `DialogData`, and still parsed on every
 * read: a session saved by an older release may hold another shape.
 */
import { z } from 'zod';
import type { DialogDataRecord } from '../core';

const refundStateSchema = z.object({
  filed: z.record(z.string(), z.string()).default({}),
});
export type RefundState = z.infer<typeof refundStateSchema>;

declare module '../core' {
  interface DialogData {
    refund: RefundState;
  }
}

export function readRefundState(data: DialogDataRecord): RefundState {
  const parsed = refundStateSchema.safeParse(data.refund);
  return parsed.success ? { filed: parsed.data.filed } : { filed: {} };
}

export function writeRefundState(data: DialogDataRecord, state: RefundState): void {
  data.refund = state;
}

/** A short refund reference like "RF-100234-7K2Q", derived from the order and the turn id. */
export function refundReference(orderNo: string, turnId: string): string {
  let h = 2166136261;
  for (const ch of turnId) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return `RF-${orderNo}-${h.toString(36).toUpperCase().padStart(4, '0').slice(-4)}`;
}

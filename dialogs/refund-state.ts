/**
 * What the refund dialogs keep in `session.data.refund`: the order being refunded between the
 * two refund dialogs, and the refunds already filed in this conversation (order → reference).
 * Session data is untyped storage, so it is parsed on every read.
 */
import { z } from 'zod';

const refundStateSchema = z.object({
  pendingOrderNo: z.string().optional(),
  filed: z.record(z.string(), z.string()).default({}),
});
export type RefundState = z.infer<typeof refundStateSchema>;

const KEY = 'refund';

export function readRefundState(data: Record<string, unknown>): RefundState {
  const parsed = refundStateSchema.safeParse(data[KEY]);
  return parsed.success ? parsed.data : { filed: {} };
}

export function writeRefundState(data: Record<string, unknown>, state: RefundState): void {
  data[KEY] = state;
}

/** A short refund reference like "RF-100234-7K2Q", derived from the order and the turn id. */
export function refundReference(orderNo: string, turnId: string): string {
  let h = 2166136261;
  for (const ch of turnId) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return `RF-${orderNo}-${h.toString(36).toUpperCase().padStart(4, '0').slice(-4)}`;
}

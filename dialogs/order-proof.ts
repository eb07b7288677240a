/**
 * Proof before an order's details (issue 9): anyone can type an order number, so before items,
 * tracking or dates are shown the customer gives the order's email or the last 4 digits of its
 * phone number (the `proof` slot of the `order-proof` dialog). A right proof is remembered for the
 * conversation; after {@link MAX_WRONG_PROOFS} wrong ones for an order the conversation stops
 * trying that order and offers a person. The proof itself is never stored.
 */
import { z } from 'zod';
import { createSlotBuilders, type DialogContext, type DialogDataRecord, defineDialog, fail, ok, type SlotSpec } from '../core';
import { demoOrders, type Order } from './data/orders';
import { orderNumberSlot } from './order-number';
import { intentButtons } from './topics';

export const ORDER_PROOF_ID = 'order-proof';
export const MAX_WRONG_PROOFS = 3;

const stateSchema = z.object({
  /** Orders proven in this conversation. */
  proven: z.array(z.string()).default([]),
  /** Wrong proofs per order in this conversation. */
  wrong: z.record(z.string(), z.number().int()).default({}),
  /** The dialog to go back to once the order is proven. */
  next: z.string().optional(),
});
type ProofState = z.infer<typeof stateSchema>;

declare module '../core' {
  interface DialogData {
    orderProof: ProofState;
  }
}

function readState(data: DialogDataRecord): ProofState {
  const parsed = stateSchema.safeParse(data.orderProof);
  return parsed.success ? parsed.data : { proven: [], wrong: {} };
}

function writeState(data: DialogDataRecord, state: ProofState): void {
  data.orderProof = state;
}

/** Texts a dialog that calls {@link requireProof} needs; spread them into its `texts`. */
export const PROOF_TEXTS = {
  en: { proofLocked: 'For your security I can’t show order {no} here, after details that didn’t match. A colleague can help: just type “human” to talk to a person.' },
  zh: { proofLocked: '由于多次核对信息不符，为了安全起见，无法在这里显示订单 {no}。人工客服可以帮您处理，回复“人工”即可转接。' },
} as const;

/**
 * True when the customer proved `order` in this conversation (the caller may show it). Otherwise
 * asks for the proof (the `order-proof` dialog, which comes back to `dialogId`), or, after too many
 * wrong proofs, says the order is locked here and offers a person.
 */
export function requireProof(ctx: DialogContext<{ proofLocked: string }>, order: Order, dialogId: string): boolean {
  const state = readState(ctx.data);
  if (state.proven.includes(order.orderNo)) return true;
  if ((state.wrong[order.orderNo] ?? 0) >= MAX_WRONG_PROOFS) {
    ctx.say('proofLocked', { no: order.orderNo }, intentButtons(ctx, ['agent.request']));
    return false;
  }
  writeState(ctx.data, { ...state, next: dialogId });
  ctx.start(ORDER_PROOF_ID, { orderNo: order.orderNo });
  return false;
}

type Proof = { kind: 'email'; value: string } | { kind: 'phone'; value: string };
const EMAIL = /[^\s@]+@[^\s@]+\.[^\s@]+/;
const LAST_FOUR = /(?<!\d)\d{4}(?!\d)/;

/** An email address or a 4-digit run in the answer; anything else asks again. Its prompt names the order (`{orderNo}`). */
export const proofSlot: SlotSpec<Proof, 'askProof' | 'badProof'> = createSlotBuilders<{ askProof: string; badProof: string }>().text<Proof>({
  prompt: 'askProof',
  validate(text) {
    const email = text.match(EMAIL)?.[0];
    if (email) return ok({ kind: 'email', value: email.toLowerCase().replace(/[.,;!?。，]+$/, '') });
    const four = text.match(LAST_FOUR)?.[0];
    return four ? ok({ kind: 'phone', value: four }) : fail('badProof');
  },
});

function proves(order: Order, proof: Proof): boolean {
  if (proof.kind === 'email') return order.email.toLowerCase() === proof.value;
  return order.phone.replace(/\D/g, '').endsWith(proof.value);
}

export const orderProof = defineDialog({
  id: ORDER_PROOF_ID,
  triggers: [],
  label: { en: 'Confirm your order', zh: '核对订单信息' },
  texts: {
    en: {
      askOrderNo: 'What’s your order number?',
      badOrderNo: 'An order number has 6 digits, like 100234.',
      askProof: 'To keep your order private, please confirm the email address on order {orderNo}, or the last 4 digits of the phone number it was placed with.',
      badProof: 'Please send the order’s email address (like name@example.com) or the last 4 digits of its phone number.',
      wrongProof: 'That doesn’t match order {no}, so I can’t show its details. Please check and try again.',
      proofGiveUp: 'That still doesn’t match, so for your security I’ve stopped here. A colleague can check your order another way: just type “human” to talk to a person.',
      giveUp: 'Without the order’s email or phone digits I can’t show its details. Type “human” if you’d like a person to help.',
      lost: 'Sorry, I lost track of which order this was. Please ask me again.',
    },
    zh: {
      askOrderNo: '请告诉我您的订单号。',
      badOrderNo: '订单号是6位数字，比如 100234。',
      askProof: '为保护您的订单信息，请提供订单 {orderNo} 的下单邮箱，或下单手机号的后4位。',
      badProof: '请发送订单的邮箱地址（如 name@example.com）或下单手机号的后4位。',
      wrongProof: '这与订单 {no} 的信息不符，无法显示订单详情。请核对后再试一次。',
      proofGiveUp: '信息仍然不符，为了您的账户安全，我先暂停查询。人工客服可以通过其他方式帮您核实，回复“人工”即可转接。',
      giveUp: '没有订单邮箱或手机号后4位，无法显示订单详情。需要人工客服帮忙请回复“人工”。',
      lost: '抱歉，我没记住是哪个订单，麻烦您再问我一次。',
    },
  },
  slots: { orderNo: orderNumberSlot('askOrderNo'), proof: proofSlot },
  run(ctx, { orderNo, proof }) {
    const state = readState(ctx.data);
    const order = demoOrders.find(orderNo);
    if (!order || !state.next) {
      ctx.say('lost');
      return;
    }
    if (proves(order, proof)) {
      const { [orderNo]: _cleared, ...wrong } = state.wrong;
      writeState(ctx.data, { proven: [...state.proven, orderNo], wrong });
      ctx.start(state.next, { orderNo });
      return;
    }
    const count = (state.wrong[orderNo] ?? 0) + 1;
    writeState(ctx.data, { ...state, wrong: { ...state.wrong, [orderNo]: count } });
    if (count >= MAX_WRONG_PROOFS) {
      ctx.say('proofGiveUp', {}, intentButtons(ctx, ['agent.request']));
      return;
    }
    ctx.say('wrongProof', { no: orderNo });
    ctx.start(ORDER_PROOF_ID, { orderNo });
  },
});

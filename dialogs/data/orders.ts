/**
 * The demo shop's order book: `orders.json` parsed once with zod into typed orders.
 * Dates in the file are day offsets from today so the demo never shows a stale delivery date;
 * a real shop replaces this module with a call to its order API.
 */
import { z } from 'zod';
import { KefuError, type Locale } from '../../core';
import raw from './orders.json';

const localized = z.object({ en: z.string().min(1), zh: z.string().min(1) }).strict();
const days = z.number().int().nonnegative();
const orderNo = z.string().regex(/^\d{6}$/, 'must be 6 digits');
const item = z.object({ name: localized, qty: z.number().int().positive() }).strict();
/** Who placed it: the customer proves they may see the order with the email or the phone's last 4 digits. */
const contact = { email: z.string().regex(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'must be an email address'), phone: z.string().regex(/^\+?[\d -]{7,20}$/, 'must be a phone number') };
const base = { orderNo, placedDaysAgo: days, total: z.number().nonnegative(), ...contact, items: z.array(item).min(1) };
const shipmentBase = { carrier: localized, tracking: z.string().min(1), shippedDaysAgo: days };

const orderSchema = z.discriminatedUnion('status', [
  z.object({ ...base, status: z.literal('processing') }).strict(),
  z.object({ ...base, status: z.literal('shipped'), shipment: z.object({ ...shipmentBase, etaDaysFromNow: days }).strict() }).strict(),
  z.object({ ...base, status: z.literal('delivered'), shipment: z.object({ ...shipmentBase, deliveredDaysAgo: days }).strict() }).strict(),
  z.object({ ...base, status: z.literal('cancelled'), cancelledDaysAgo: days }).strict(),
]);

const fileSchema = z.object({ currency: z.literal('CNY'), note: z.string().optional(), orders: z.array(orderSchema) }).strict();

export type Order = z.infer<typeof orderSchema>;
export type OrderStatus = Order['status'];

export interface OrderBook {
  find(orderNo: string): Order | undefined;
  readonly size: number;
}

/**
 * Validates order data (unknown at the edge) and indexes it by order number.
 * @example const book = createOrderBook(JSON.parse(fs.readFileSync('orders.json', 'utf8')));
 */
export function createOrderBook(data: unknown): OrderBook {
  const parsed = fileSchema.safeParse(data);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new KefuError('KEFU_ERR_DIALOG_DATA_INVALID', `The demo order data is malformed; fix dialogs/data/orders.json:\n${lines.join('\n')}`, { details: lines });
  }
  const byNo = new Map<string, Order>();
  for (const order of parsed.data.orders) {
    if (byNo.has(order.orderNo))
      throw new KefuError('KEFU_ERR_DIALOG_DATA_INVALID', `Order number ${order.orderNo} appears twice in the order data; order numbers must be unique.`);
    byNo.set(order.orderNo, order);
  }
  return { find: (no) => byNo.get(no), size: byNo.size };
}

/** The demo shop's orders (from `orders.json`). */
export const demoOrders: OrderBook = createOrderBook(raw as unknown);

/** "Linen table lamp ×1, Cedar soy candle ×2" / "亚麻布艺台灯 ×1、雪松香薰蜡烛 ×2". */
export function describeItems(order: Order, locale: Locale): string {
  return order.items.map((i) => `${i.name[locale]} ×${i.qty}`).join(locale === 'zh' ? '、' : ', ');
}

const money = new Intl.NumberFormat('en-US', { minimumFractionDigits: 0, maximumFractionDigits: 2 });

/** "¥289", "¥1,280" or "¥12.5" (the same in both locales). */
export function formatMoney(amount: number): string {
  return `¥${money.format(amount)}`;
}

const DAY_MS = 86_400_000;
const RELATIVE: Record<Locale, Record<number, string>> = {
  en: { [-1]: 'yesterday', 0: 'today', 1: 'tomorrow' },
  zh: { [-1]: '昨天', 0: '今天', 1: '明天' },
};

/**
 * A day `offset` days from `now`, as an adverbial phrase in the shop's time zone:
 * "today", "tomorrow", "on Thursday 27 November" / "今天", "明天", "11月27日周四".
 */
export function dayPhrase(now: number, offset: number, locale: Locale): string {
  const relative = RELATIVE[locale][offset];
  if (relative) return relative;
  const date = now + offset * DAY_MS;
  return locale === 'zh' ? DATE_FORMAT.zh.format(date) : `on ${DATE_FORMAT.en.format(date)}`;
}

/** Built once: an Intl formatter costs far more to make than to use. */
const DATE_FORMAT: Record<Locale, Intl.DateTimeFormat> = {
  zh: new Intl.DateTimeFormat('zh-CN', { month: 'long', day: 'numeric', weekday: 'short', timeZone: 'Asia/Shanghai' }),
  en: new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'Asia/Shanghai' }),
};

/**
 * The demo shop "Lumen & Co. / 流明商城": every dialog the demo bot runs.
 * @example const engine = createEngine({ classifier, dialogs: demoDialogs });
 */
import type { Dialog } from '../core';
import { agentRequest } from './agent-request';
import { cancel } from './cancel';
import { fallback } from './fallback';
import { faqDialogs } from './faq';
import { goodbye, thanks } from './goodbye';
import { greeting } from './greeting';
import { orderProof } from './order-proof';
import { orderStatus } from './order-status';
import { refundRequest } from './refund-request';

export const demoDialogs: Dialog[] = [greeting, ...faqDialogs, orderStatus, orderProof, refundRequest, goodbye, thanks, cancel, agentRequest, fallback];

/** The intents the demo's corpora must cover (every trigger of {@link demoDialogs}). */
export const demoIntents: readonly string[] = demoDialogs.flatMap((d) => d.triggers);

export { createOrderBook, demoOrders, type Order, type OrderBook } from './data/orders';

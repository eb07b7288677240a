/** The demo's FAQ dialogs: faq-shipping, faq-returns, faq-payment, faq-hours (from locales/*\/faq.json, answered by kefu's kit). */
import { join } from 'node:path';
import type { Dialog } from '../core';
import { createFaqDialogs } from '../kit/faq';

export const faqDialogs: readonly Dialog[] = createFaqDialogs(join(__dirname, '..', 'locales'));

/**
 * A resolved handoff's messages for the scorer: read back from the resolve through the conversation
 * (pages of 200, at most 5) until the escalation and the customer's last few messages before it,
 * with each customer message's sentiment.
 */
import type { Locale, Sentiment } from '../../core';
import type { HandoffRecord, HandoffService } from '../../plugins/handoff';
import type { QaInput, QaMessage } from './types';

export type SentimentOf = (text: string, locale: Locale) => Promise<Sentiment>;

const PAGE = 200;
const MAX_PAGES = 5;
/** Customer messages before the escalation kept for "sentiment before". */
const CONTEXT = 3;

export async function gatherInput(handoff: HandoffService, record: HandoffRecord, sentimentOf: SentimentOf): Promise<QaInput> {
  const resolvedAt = record.resolvedAt ?? record.updatedAt;
  const collected: QaMessage[] = [];
  let before: number | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const batch = await handoff.transcript(record.key, { ...(before === undefined ? {} : { before }), limit: PAGE });
    collected.unshift(...batch.filter((m) => m.at <= resolvedAt).map((m) => ({ from: m.from, text: m.text, at: m.at, ...(m.agentId ? { agentId: m.agentId } : {}) })));
    const earlyCustomer = collected.filter((m) => m.from === 'customer' && m.at < record.requestedAt).length;
    if (batch.length < PAGE || earlyCustomer >= CONTEXT || (batch[0]?.at ?? 0) < record.requestedAt - 3_600_000) break;
    before = batch[0]?.seq;
  }
  const live = collected.filter((m) => m.at >= record.requestedAt);
  const context = collected.filter((m) => m.at < record.requestedAt && m.from === 'customer').slice(-CONTEXT);
  const messages = [...context, ...live];
  for (const m of messages) if (m.from === 'customer' && m.text) m.sentiment = (await sentimentOf(m.text, record.locale)).score;
  return {
    locale: record.locale,
    requestedAt: record.requestedAt,
    ...(record.assignedAt ? { assignedAt: record.assignedAt } : {}),
    ...(record.escalatedAt ? { escalatedAt: record.escalatedAt } : {}),
    resolvedAt,
    messages,
  };
}

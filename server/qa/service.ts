/**
 * Quality inspection as a service (docs/quality.md): an agent channel that scores each resolved
 * handoff in the background, a re-score on demand, the flag list supervisors work through
 * (confirm / dismiss), per-agent scores and the CSV export.
 * @example
 * const qa = createQaService({ data: engine.data, handoff, rules: loadQaRules(undefined), sla: { agentFirstResponseMs: 60_000, expertFirstResponseMs: 300_000, replyMs: 120_000 }, sentimentOf, log });
 * handoff.addAgentChannel(qa.channel);
 * (await qa.flags({ status: 'open' })).items[0]?.flags; // [{ code: 'forbidden_phrase', detail: '保证今天退款' }]
 */
import { asCodedError, KefuError, type Logger, type Repositories } from '../../core';
import { decodeCursor, encodeCursor, type Page } from '../../core/data';
import type { AgentChannel, HandoffRecord, HandoffService } from '../../plugins/handoff';
import { gatherInput, type SentimentOf } from './gather';
import { daysOf, recentDays } from './range';
import { type AgentQa, agentScores, toCsv } from './report';
import type { QaRules } from './rules';
import { scoreConversation } from './score';
import { createQaStore } from './store';
import type { QaResult, QaSla, QaStatus } from './types';

/** How far back the flag list looks. */
export const FLAG_LIST_DAYS = 31;

export type FlagStatus = Extract<QaStatus, 'open' | 'confirmed' | 'dismissed'>;

export interface QaServiceOptions {
  data: Repositories;
  handoff: HandoffService;
  rules: QaRules;
  sla: QaSla;
  sentimentOf: SentimentOf;
  log: Logger;
  now?: () => number;
}

export interface QaService {
  /** Give to `handoff.addAgentChannel`: scores each `handoff.resolved` in the background. */
  readonly channel: AgentChannel;
  /** Scores (or re-scores) a resolved handoff now and stores the result. */
  score(record: HandoffRecord): Promise<QaResult>;
  rescore(handoffId: string): Promise<QaResult>;
  get(handoffId: string): Promise<QaResult | undefined>;
  /** Flagged results with this status, newest first, over the last {@link FLAG_LIST_DAYS} days. */
  flags(q: { status: FlagStatus; limit?: number; after?: string }): Promise<Page<QaResult>>;
  decide(handoffId: string, status: 'confirmed' | 'dismissed', by: string): Promise<QaResult>;
  agents(range: { from?: string; to?: string }): Promise<AgentQa[]>;
  exportCsv(range: { from?: string; to?: string }): Promise<string>;
  /** Resolves when the background scoring is done (tests, shutdown). */
  idle(): Promise<void>;
}

const notFound = (id: string) => new KefuError('KEFU_ERR_QA_NOT_FOUND', `No QA result for handoff "${id}"; take ids from GET /console/api/qa/flags.`);
const sameFlags = (a: QaResult, b: { flags: QaResult['flags'] }) => a.flags.map((f) => f.code).join() === b.flags.map((f) => f.code).join();

export function createQaService(opts: QaServiceOptions): QaService {
  const now = opts.now ?? Date.now;
  const store = createQaStore(opts.data);
  let queue: Promise<void> = Promise.resolve();

  async function score(record: HandoffRecord): Promise<QaResult> {
    const input = await gatherInput(opts.handoff, record, opts.sentimentOf);
    const scored = scoreConversation(input, opts.rules, opts.sla);
    const previous = await store.get(record.id);
    // A re-score that raises the same flags keeps the supervisor's decision.
    const kept = previous && previous.status !== 'clean' && sameFlags(previous, scored) ? previous : undefined;
    const result: QaResult = {
      id: record.id,
      key: record.key,
      agentId: record.agentId ?? '',
      locale: record.locale,
      channel: record.ref.channel,
      resolvedAt: input.resolvedAt,
      scoredAt: now(),
      ...scored,
      status: kept?.status ?? (scored.flags.length > 0 ? 'open' : 'clean'),
      ...(kept?.decidedBy ? { decidedBy: kept.decidedBy, decidedAt: kept.decidedAt ?? 0 } : {}),
    };
    await store.save(result);
    opts.log.info({ handoffId: record.id, agentId: result.agentId, score: result.score, flags: result.flags.map((f) => f.code) }, 'qa scored');
    return result;
  }

  function inBackground(record: HandoffRecord): void {
    queue = queue.then(() =>
      score(record).then(
        () => undefined,
        (err: unknown) => opts.log.error({ handoffId: record.id, code: asCodedError(err).code }, 'qa scoring failed'),
      ),
    );
  }

  async function listFlags(q: { status: FlagStatus; limit?: number; after?: string }): Promise<Page<QaResult>> {
    const limit = Math.min(Math.max(q.limit ?? 50, 1), 200);
    const [afterDay, afterIndex] = q.after ? (decodeCursor(q.after, ['s', 'n']) as [string, number]) : [undefined, -1];
    const items: QaResult[] = [];
    for (const day of recentDays(now(), FLAG_LIST_DAYS)) {
      if (afterDay !== undefined && day > afterDay) continue;
      const newestFirst = (await store.day(day)).items.filter((r) => r.status === q.status).sort((a, b) => b.resolvedAt - a.resolvedAt || (a.id < b.id ? -1 : 1));
      for (const [i, r] of newestFirst.entries()) {
        if (day === afterDay && i <= afterIndex) continue;
        if (items.length === limit) return { items, next: encodeCursor([day, i - 1]) };
        items.push(r);
      }
    }
    return { items };
  }

  async function range(r: { from?: string; to?: string }): Promise<QaResult[]> {
    const days = daysOf(r, now());
    return (await Promise.all(days.map((d) => store.day(d)))).flatMap((d) => d.items);
  }

  return {
    channel: {
      name: 'qa',
      async onEvent(event) {
        if (event.type === 'handoff.resolved') inBackground(event.record);
      },
    },
    score,
    async rescore(id) {
      const handoff = await opts.data.handoffs.get(id);
      if (handoff?.value.state !== 'resolved') throw notFound(id);
      return score(handoff.value);
    },
    get: (id) => store.get(id),
    flags: listFlags,
    async decide(id, status, by) {
      const current = await store.get(id);
      if (!current) throw notFound(id);
      if (current.flags.length === 0)
        throw new KefuError('KEFU_ERR_QA_NOT_FLAGGED', `Handoff "${id}" raised no QA flags; there is nothing to ${status === 'confirmed' ? 'confirm' : 'dismiss'}.`);
      const next = await store.update(id, (r) => ({ ...r, status, decidedBy: by, decidedAt: now() }));
      if (!next) throw notFound(id);
      return next;
    },
    agents: async (r) => agentScores(await range(r)),
    exportCsv: async (r) => toCsv((await range(r)).sort((a, b) => a.resolvedAt - b.resolvedAt)),
    idle: () => queue,
  };
}

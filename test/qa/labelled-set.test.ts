/**
 * Precision and recall of the QA flags on the hand-labelled conversations in test/fixtures/qa/
 * (English and Chinese, docs/quality.md), with the real sentiment scorer. Prints the figures per
 * flag and overall; fails when the set shrinks or the flags get less precise than documented.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { analyzeSentiment, getTextPipeline } from '../../intents';
import { compileQaRules } from '../../server/qa/rules';
import { scoreConversation } from '../../server/qa/score';
import { QA_FLAGS, type QaFlagCode, type QaMessage } from '../../server/qa/types';

const FROM = { c: 'customer', b: 'bot', a: 'agent', n: 'note' } as const;
const fixtureSchema = z.array(
  z.object({
    id: z.string(),
    locale: z.enum(['en', 'zh']),
    requestedAt: z.number(),
    assignedAt: z.number(),
    /** Set when an agent escalated to the experts (the expert tier's clock starts). */
    escalatedAt: z.number().optional(),
    resolvedAt: z.number(),
    messages: z.array(z.tuple([z.enum(['c', 'b', 'a', 'n']), z.number(), z.string()])),
    flags: z.array(z.enum(QA_FLAGS)),
  }),
);
type Fixture = z.infer<typeof fixtureSchema>[number];

/** The handoff's default per-tier targets (SLA_AGENT_/SLA_EXPERT_FIRST_RESPONSE_SECONDS) and QA_REPLY_SLA_SECONDS. */
const SLA = { agentFirstResponseMs: 60_000, expertFirstResponseMs: 300_000, replyMs: 120_000 };
/** The floors docs/quality.md quotes; the measured figures are printed. */
const MIN_PRECISION = 0.9;
const MIN_RECALL = 0.9;

function load(): Fixture[] {
  return ['en.json', 'zh.json'].flatMap((f) => fixtureSchema.parse(JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'qa', f), 'utf8'))));
}

async function flagsOf(f: Fixture): Promise<Set<QaFlagCode>> {
  const pipeline = await getTextPipeline();
  const messages: QaMessage[] = [];
  for (const [from, at, text] of f.messages) {
    const sentiment = from === 'c' ? (await analyzeSentiment(pipeline, text, f.locale)).score : undefined;
    messages.push({ from: FROM[from], at: at * 1000, text, ...(sentiment === undefined ? {} : { sentiment }) });
  }
  const input = {
    locale: f.locale,
    requestedAt: f.requestedAt * 1000,
    assignedAt: f.assignedAt * 1000,
    ...(f.escalatedAt === undefined ? {} : { escalatedAt: f.escalatedAt * 1000 }),
    resolvedAt: f.resolvedAt * 1000,
    messages,
  };
  return new Set(scoreConversation(input, compileQaRules(), SLA).flags.map((x) => x.code));
}

interface Tally {
  tp: number;
  fp: number;
  fn: number;
}
const ratio = (a: number, b: number) => (b === 0 ? 1 : a / b);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

describe('QA flags on the labelled set', function () {
  this.timeout(60_000);

  it('are precise and find what a supervisor would, in both languages', async () => {
    const set = load();
    assert.ok(set.length >= 40, `at least 40 labelled conversations (got ${set.length})`);
    assert.ok(set.filter((f) => f.locale === 'zh').length >= 20 && set.filter((f) => f.locale === 'en').length >= 20);
    const tally = Object.fromEntries(QA_FLAGS.map((c) => [c, { tp: 0, fp: 0, fn: 0 }])) as Record<QaFlagCode, Tally>;
    const misses: string[] = [];
    for (const f of set) {
      const got = await flagsOf(f);
      const want = new Set(f.flags);
      for (const code of QA_FLAGS) {
        const outcome = got.has(code) ? (want.has(code) ? 'tp' : 'fp') : want.has(code) ? 'fn' : undefined;
        if (!outcome) continue;
        tally[code][outcome] += 1;
        if (outcome !== 'tp') misses.push(`${f.id}: ${outcome === 'fp' ? 'extra' : 'missed'} ${code}`);
      }
    }
    const total = Object.values(tally).reduce((t, x) => ({ tp: t.tp + x.tp, fp: t.fp + x.fp, fn: t.fn + x.fn }), { tp: 0, fp: 0, fn: 0 });
    const precision = ratio(total.tp, total.tp + total.fp);
    const recall = ratio(total.tp, total.tp + total.fn);
    console.log(`      ${set.length} conversations; flags: precision ${pct(precision)}, recall ${pct(recall)} (tp ${total.tp}, fp ${total.fp}, fn ${total.fn})`);
    for (const code of QA_FLAGS) {
      const t = tally[code];
      console.log(
        `        ${code.padEnd(20)} precision ${pct(ratio(t.tp, t.tp + t.fp)).padStart(6)}  recall ${pct(ratio(t.tp, t.tp + t.fn)).padStart(6)}  (tp ${t.tp}, fp ${t.fp}, fn ${t.fn})`,
      );
    }
    for (const m of misses) console.log(`        ${m}`);
    assert.ok(precision >= MIN_PRECISION, `precision ${pct(precision)} under ${pct(MIN_PRECISION)}`);
    assert.ok(recall >= MIN_RECALL, `recall ${pct(recall)} under ${pct(MIN_RECALL)}`);
    for (const code of QA_FLAGS) assert.ok(tally[code].tp > 0, `the set exercises ${code}`);
  });
});

/**
 * One fuzz request from (seed, index), and the verdict on its answer: every answer comes, none is a
 * 5xx, and every error (status ≥ 400 with a body) is `{ "error": { "code": "KEFU_ERR_…", "message" } }`
 * with a documented code and no stack trace or file path in the message.
 */
import { ERROR_CODES } from '../../core';
import { WEB_CASES } from './fuzz-cases-web';
import { WEBHOOK_CASES } from './fuzz-cases-webhooks';
import type { FuzzRequest, FuzzResponse } from './fuzz-http';
import { requestRng } from './fuzz-random';
import { type FuzzContext, pickOne, spoil } from './fuzz-spoil';

const CASES = [...WEB_CASES, ...WEBHOOK_CASES];

/** Request `index` of the run seeded with `seed`; a fifth of them broken at the HTTP level as well. */
export function makeRequest(seed: number, index: number, ctx: FuzzContext): FuzzRequest {
  const rng = requestRng(seed, index);
  const request = pickOne(rng, CASES)(rng, ctx);
  return rng.chance(0.2) ? spoil(rng, request) : request;
}

/** What is wrong with this answer, or undefined. */
export function judge(req: FuzzRequest, res: FuzzResponse): string | undefined {
  if (res.timedOut) return `no answer and no close within the timeout (status ${res.status || 'none'})`;
  // Over the body limit the server may answer and close while the client still writes: the kernel's
  // reset can then drop the answer before the client reads it. Not a verdict either way.
  if (res.status === 0 && (req.body?.length ?? 0) > 1024 * 1024) return undefined;
  if (res.status === 0) return 'the connection closed without an answer';
  if (res.status >= 500) return `status ${res.status}: ${res.body.toString('utf8').slice(0, 300)}`;
  if (res.status < 400 || req.method === 'HEAD') return undefined;
  return uncoded(res);
}

function uncoded(res: FuzzResponse): string | undefined {
  const text = res.body.toString('utf8');
  const show = `status ${res.status}, body ${JSON.stringify(text.slice(0, 200))}`;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return `error answer is not JSON: ${show}`;
  }
  const error = (parsed as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  if (typeof error?.code !== 'string' || typeof error.message !== 'string') return `error answer lacks error.code and error.message: ${show}`;
  if (!(error.code in ERROR_CODES)) return `error code ${error.code} is not in core/errors.ts: ${show}`;
  if (/\n\s+at |node_modules|\.ts:\d+|\/work\//.test(error.message)) return `error message shows internals: ${show}`;
  return undefined;
}

/** Answers by request kind and status, e.g. `POST /webhooks/slack (valid signature): 200×31 400×12`. */
export function summarize(seen: ReadonlyArray<{ label: string; status: number }>): string {
  const byLabel = new Map<string, Map<number, number>>();
  for (const { label, status } of seen) {
    const kind = label.split(' + ')[0] ?? label;
    const counts = byLabel.get(kind) ?? new Map<number, number>();
    counts.set(status, (counts.get(status) ?? 0) + 1);
    byLabel.set(kind, counts);
  }
  return [...byLabel.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([kind, counts]) =>
        `  ${kind}: ${[...counts.entries()]
          .sort(([a], [b]) => a - b)
          .map(([s, n]) => `${s}×${n}`)
          .join(' ')}`,
    )
    .join('\n');
}

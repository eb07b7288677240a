/**
 * The queue fill: `count` distinct new conversations, each sending one "talk to a human" message, 64
 * at a time. With the demo agents at capacity (8 seats) every one after the first few waits in
 * kefu's handoff queue; the caller checks the queue's size through the console API.
 */
import type { JsonClient } from './http-client';
import { openConnections } from './load';

export interface FillResult {
  sent: number;
  errors: number;
  errorSamples: string[];
  seconds: number;
}

export async function fillQueue(client: JsonClient, texts: readonly string[], count: number, idPrefix: string, concurrency = 64): Promise<FillResult> {
  const r: FillResult = { sent: 0, errors: 0, errorSamples: [], seconds: 0 };
  await openConnections(client, Math.min(concurrency, count));
  const t0 = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const text = texts[i % texts.length] as string;
      try {
        const res = await client.post('/api/web/messages', { conversationId: `${idPrefix}-${i}`, text });
        if (res.status < 200 || res.status >= 300) noteError(r, `${res.status} ${res.body.slice(0, 300)}`);
      } catch (err) {
        noteError(r, `network ${err instanceof Error ? err.message : String(err)}`);
      }
      r.sent += 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  r.seconds = (performance.now() - t0) / 1000;
  return r;
}

function noteError(r: FillResult, text: string): void {
  r.errors += 1;
  if (r.errorSamples.length < 5) r.errorSamples.push(text);
}

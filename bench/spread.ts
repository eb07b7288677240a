/**
 * `npm run bench -- spread`: what an object literal that begins with a spread and goes on costs on
 * this Node (`{ ...a, b }`), next to `withFields(a, { b })` (core/objects.ts) and `{ b, ...a }`, on
 * message-shaped objects: ns per object made, and old-generation growth per object (the hidden
 * classes such a literal makes on every evaluation live there until a full GC).
 */
import { getHeapSpaceStatistics } from 'node:v8';
import { withFields } from '../core';

interface Shaped {
  id: string;
  from: string;
  text: string;
  at: number;
  locale?: string;
}

const FORMS: Record<string, (m: Shaped, seq: number) => object> = {
  '{ ...a, key, seq }': (m, seq) => ({ ...m, key: 'web:c', seq }),
  'withFields(a, { key, seq })': (m, seq) => withFields(m, { key: 'web:c', seq }),
  '{ key, seq, ...a }': (m, seq) => ({ key: 'web:c', seq, ...m }),
};

const oldGeneration = () => getHeapSpaceStatistics().find((s) => s.space_name === 'old_space')?.space_used_size ?? 0;

function measure(make: (m: Shaped, seq: number) => object, inputs: readonly Shaped[], n: number): { ns: number; oldBytes: number } {
  let sink = 0;
  let grown = 0;
  let last = oldGeneration();
  const cpu = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    sink += Object.keys(make(inputs[i % inputs.length] as Shaped, i)).length;
    if (i % 1000 === 0) {
      const now = oldGeneration();
      if (now > last) grown += now - last;
      last = now;
    }
  }
  const used = process.cpuUsage(cpu);
  if (sink < 0) throw new Error('unreachable');
  return { ns: ((used.user + used.system) * 1000) / n, oldBytes: grown / n };
}

export async function runSpread(argv: string[]): Promise<number> {
  const n = Number(argv[0] ?? 2_000_000);
  // Two shapes, as a turn's messages have (the customer's with an intent, a reply without).
  const inputs: Shaped[] = Array.from({ length: 1000 }, (_, i) =>
    i % 2 ? { id: `m${i}`, from: 'bot', text: 'Good news', at: i } : { id: `m${i}`, from: 'customer', text: 'where is my order', at: i, locale: 'en' },
  );
  console.log(`node ${process.version}, ${n.toLocaleString('en')} objects per form (after a warm-up of the same)`);
  for (const [name, make] of Object.entries(FORMS)) {
    measure(make, inputs, n / 4);
    const r = measure(make, inputs, n);
    console.log(`${name.padEnd(30)} ${r.ns.toFixed(0).padStart(6)} ns/object   old generation +${r.oldBytes.toFixed(0)} B/object`);
  }
  return 0;
}

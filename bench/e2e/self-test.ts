/**
 * `npm run bench -- e2e --self-test`: checks of the bench's pure helpers (no servers, nothing
 * timed), kept out of `npm test` on purpose. Prints one line per check and returns the exit code.
 */
import assert from 'node:assert/strict';
import { shortUrl, topSelfTime } from './cpu-profile';
import { type BenchMessage, buildMix, createConversations, escalationTexts, looksLikeEscalation } from './mix';
import { parseCell } from './options';
import type { CellResult } from './load';
import { parseStat } from './proc';
import { floorTable } from './report';
import { summarizeLatencies, table } from './stats';
import { decodeMappings } from './ts-lines';

const MESSAGES: BenchMessage[] = [
  { lang: 'en', category: 'greeting', text: 'hi', escalates: false },
  { lang: 'en', category: 'oos', text: 'tell me a joke', escalates: false },
  { lang: 'en', category: 'oos', text: 'weather?', escalates: false },
  { lang: 'en', category: 'agent', text: 'can I talk to a real person', escalates: true },
  { lang: 'zh', category: 'agent', text: '转人工', escalates: true },
];

const CHECKS: [string, () => void][] = [
  [
    'parseStat reads ppid and utime+stime+cutime+cstime after the last ")"',
    () => {
      const stat = '42 (node (x) y) S 7 42 42 0 -1 4194304 1 0 0 0 300 40 5 6 20 0 11 0';
      assert.deepEqual(parseStat(stat), { ppid: 7, ticks: 351 });
    },
  ],
  [
    'nearest-rank percentiles',
    () => {
      const ms = Array.from({ length: 100 }, (_, i) => i + 1);
      assert.deepEqual(summarizeLatencies(ms), { p50: 50, p95: 95, p99: 99, max: 100 });
      assert.deepEqual(summarizeLatencies([]), { p50: 0, p95: 0, p99: 0, max: 0 });
    },
  ],
  [
    'mixes: no-escalation drops the marked entries; the fill uses the agent asks',
    () => {
      assert.equal(buildMix(MESSAGES, 'no-escalation').length, 3);
      assert.equal(buildMix(MESSAGES, 'realistic').length, 5);
      assert.deepEqual(escalationTexts(MESSAGES), ['can I talk to a real person', '转人工']);
      assert.ok(looksLikeEscalation('I want a human') && looksLikeEscalation('转人工') && !looksLikeEscalation('where is my order'));
    },
  ],
  [
    'conversations: same seed, same sequence; no two oos in a row; an escalation ends the conversation',
    () => {
      const a = createConversations(buildMix(MESSAGES, 'no-escalation'), 'no-escalation', 7, 'x');
      const b = createConversations(buildMix(MESSAGES, 'no-escalation'), 'no-escalation', 7, 'x');
      let prev = { conversationId: '', category: '' };
      for (let i = 0; i < 2000; i++) {
        const m = a();
        assert.deepEqual(m, b());
        if (m.conversationId === prev.conversationId) assert.ok(!(m.message.category === 'oos' && prev.category === 'oos'));
        prev = { conversationId: m.conversationId, category: m.message.category };
      }
      const r = createConversations(MESSAGES, 'realistic', 3, 'y');
      let last = r();
      for (let i = 0; i < 2000; i++) {
        const m = r();
        if (last.message.escalates) assert.notEqual(m.conversationId, last.conversationId);
        last = m;
      }
    },
  ],
  [
    'cpuprofile: self time by function, windowed, idle apart',
    () => {
      const frame = (functionName: string, lineNumber: number) => ({ functionName, url: 'file:///repo/core/turn.ts', lineNumber, columnNumber: 0 });
      const profile = {
        nodes: [
          { id: 1, callFrame: frame('(root)', -1) },
          { id: 2, callFrame: frame('handle', 9) },
          { id: 3, callFrame: { functionName: '(idle)', url: '', lineNumber: -1 } },
          { id: 4, callFrame: frame('', 19) },
        ],
        startTime: 1000,
        endTime: 1000 + 5000,
        samples: [2, 2, 3, 4],
        timeDeltas: [0, 1000, 1000, 1000],
      };
      const all = topSelfTime(profile, 10, undefined, '/repo', () => undefined);
      assert.equal(all.entries[0]?.name, 'handle');
      assert.equal(all.entries[0]?.where, 'core/turn.ts:10:1 (compiled)');
      assert.equal(all.entries[0]?.selfMs, 2);
      assert.equal(all.idleMs, 1);
      assert.equal(all.entries[1]?.name, '(anonymous)');
      assert.equal(all.entries[1]?.selfMs, 2);
      const win = topSelfTime(profile, 10, { fromUs: 2500, toUs: 10_000 }, '/repo', () => 12);
      assert.equal(win.entries[0]?.where, 'core/turn.ts:12');
      assert.ok(win.windowed);
      assert.equal(win.samples, 2);
    },
  ],
  [
    'source map mappings decode to absolute 0-based positions',
    () => {
      // "AAAA,IAAI;AACA": line 0 → (0: src 0, line 0, col 0), (4: line 0, col 4); line 1 → (0: line 1, col 4)
      assert.deepEqual(decodeMappings('AAAA,IAAI;AACA'), [
        [
          [0, 0, 0, 0],
          [4, 0, 0, 4],
        ],
        [[0, 0, 1, 4]],
      ]);
    },
  ],
  [
    'shortUrl, parseCell, table',
    () => {
      assert.equal(shortUrl('file:///a/node_modules/fastify/lib/route.js', '/a'), 'fastify/lib/route.js');
      assert.equal(shortUrl('file:///a/core/turn.ts', '/a'), 'core/turn.ts');
      assert.deepEqual(parseCell('realistic:c64'), { mix: 'realistic', concurrency: 64 });
      assert.throws(() => parseCell('nope'));
      assert.equal(table(['a', 'b'], [['x', '1']]), 'a  b\n-  -\nx  1');
    },
  ],
  [
    'floor table: µs per message beyond the floor, and what 2x botbuilder leaves kefu',
    () => {
      const cell = (target: CellResult['target'], count: number, cpu: number) => ({ target, label: 'mix c8', count, serverCpuSeconds: cpu }) as CellResult;
      // 50 µs floor, kefu 300 µs, botbuilder 200 µs: 2x botbuilder is 100 µs a message, 50 beyond the floor.
      const lines = floorTable([cell('kefu', 1000, 0.3), cell('botbuilder', 1000, 0.2), cell('floor', 1000, 0.05)]).split('\n');
      assert.deepEqual(lines.at(-1)?.split(/\s+/), ['mix', 'c8', '20000', '50.0', '250', '150', '50.0']);
    },
  ],
];

export function selfTest(): number {
  let failed = 0;
  for (const [name, check] of CHECKS) {
    try {
      check();
      process.stdout.write(`ok    ${name}\n`);
    } catch (err) {
      failed += 1;
      process.stdout.write(`FAIL  ${name}\n      ${err instanceof Error ? err.message : String(err)}\n`);
    }
  }
  process.stdout.write(`${CHECKS.length - failed} passed, ${failed} failed\n`);
  return failed ? 1 : 0;
}

/**
 * `npm run bench -- turn`: what one web turn costs inside the process, without the HTTP client's
 * noise: the demo app built in-process (as `npm start` builds it, on a fresh SQLite DATA_DIR),
 * driven through Fastify's inject with a bench mix (`--mix`, default no-escalation), `--concurrency` conversations
 * at a time. Prints CPU µs per message (the whole process: main thread, checkpoint worker, GC
 * threads), bytes handed to write/pwrite per message (/proc/self/io wchar: WAL frames and
 * checkpoint copies), and on request the sampled allocation sites (`--alloc-top N`) and the SQLite
 * statements run per message (`--statements N`).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'node:inspector/promises';
import { parseArgs } from 'node:util';
import { getHeapSpaceStatistics } from 'node:v8';
import Database from 'better-sqlite3';
import { demoApp } from '../demo/app';
import { createKefuApp } from '../server/create-app';
import { buildMix, createConversations, loadMessages, MIXES, type MixName, sharedBenchDir } from './e2e/mix';

/** CPU ticks (utime + stime) of each of this process's threads, by thread name. */
function threadTicks(): Map<string, number> {
  const out = new Map<string, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const label = tid === String(process.pid) ? 'main' : name.replace(/\d+$/, '');
    out.set(label, (out.get(label) ?? 0) + Number(f[11]) + Number(f[12]));
  }
  return out;
}

/** Bytes handed to write/pwrite, by the whole process or by the main thread only (the WAL; the rest is mostly checkpoint copies). */
const wchar = (of = '/proc/self') => Number(/wchar: (\d+)/.exec(readFileSync(`${of}/io`, 'utf8'))?.[1] ?? 0);
const mainWchar = () => wchar(`/proc/self/task/${process.pid}`);

export async function runTurnCost(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      messages: { type: 'string', default: '4000' },
      warmup: { type: 'string', default: '2000' },
      concurrency: { type: 'string', default: '8' },
      mix: { type: 'string', default: 'no-escalation' },
      rounds: { type: 'string', default: '3' },
      'alloc-top': { type: 'string', default: '0' },
      statements: { type: 'string', default: '0' },
      'log-level': { type: 'string', default: 'silent' },
    },
  });
  const repo = join(__dirname, '..');
  const mixName = values.mix as MixName;
  if (!MIXES.includes(mixName)) throw new Error(`--mix must be one of ${MIXES.join(', ')} (got "${values.mix}")`);
  const mix = buildMix(loadMessages(join(sharedBenchDir(repo), 'messages.json')), mixName);
  const dir = mkdtempSync(join(tmpdir(), 'kefu-turn-cost-'));
  const config = { LOG_LEVEL: values['log-level'], PORT: 0, DATA_DIR: dir, WEB_RATE_LIMIT_PER_IP: 0, WEB_RATE_LIMIT_PER_CONVERSATION: 0, WEB_ESCALATIONS_PER_IP_PER_HOUR: 0 };
  const statements = Number(values.statements) > 0 ? countStatements() : { counting: false, print() {} };
  const app = await createKefuApp({ ...demoApp, config });
  const tokens = new Map<string, string>();
  const concurrency = Number(values.concurrency);
  let prefix = 0;
  const send = async (conversationId: string, text: string) => {
    const token = tokens.get(conversationId);
    const res = await app.http.inject({ method: 'POST', url: '/api/web/messages', payload: { conversationId, text }, headers: token ? { authorization: `Bearer ${token}` } : {} });
    if (res.statusCode !== 200) throw new Error(`${res.statusCode} ${res.body}`);
    const issued = (res.json() as { conversationToken?: string }).conversationToken;
    if (issued) tokens.set(conversationId, issued);
  };
  const drive = async (n: number) => {
    prefix += 1;
    const per = Math.ceil(n / concurrency);
    await Promise.all(
      Array.from({ length: concurrency }, async (_, w) => {
        const next = createConversations(mix, mixName, 1000 * prefix + w, `r${prefix}w${w}`);
        for (let i = 0; i < per; i++) {
          const m = next();
          await send(m.conversationId, m.message.text);
        }
      }),
    );
    return per * concurrency;
  };
  await drive(Number(values.warmup));
  const allocTop = Number(values['alloc-top']);
  const inspector = allocTop > 0 ? await startAllocationSampling() : undefined;
  let measured = 0; // messages sent in the rounds (each worker sends its share whole)
  for (let r = 0; r < Number(values.rounds); r++) {
    global.gc?.();
    const cpu = process.cpuUsage();
    const w0 = wchar();
    const m0 = mainWchar();
    const ticks0 = threadTicks();
    const heap0 = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    statements.counting = true;
    const oldGrowth = watchOldGeneration();
    const n = await drive(Number(values.messages));
    statements.counting = false;
    const promoted = oldGrowth.stop();
    measured += n;
    const wall = performance.now() - t0;
    const used = process.cpuUsage(cpu);
    const ticks = [...threadTicks()].map(([name, t]) => [name, t - (ticks0.get(name) ?? 0)] as const).filter(([, t]) => t > 0);
    const allTicks = ticks.reduce((a, [, t]) => a + t, 0);
    console.log(
      `round ${r + 1}: ${n} msgs, ${((used.user + used.system) / n).toFixed(0)} µs CPU/msg (user ${(used.user / n).toFixed(0)}, sys ${(used.system / n).toFixed(0)}), ${((wchar() - w0) / n / 1024).toFixed(1)} KiB written/msg (main thread ${((mainWchar() - m0) / n / 1024).toFixed(1)}), ${(n / (wall / 1000)).toFixed(0)} msgs/s wall, old generation +${(promoted / n / 1024).toFixed(1)} KiB/msg, heap Δ ${((process.memoryUsage().heapUsed - heap0) / 1e6).toFixed(0)} MB`,
    );
    console.log(`  threads: ${ticks.map(([name, t]) => `${name} ${((100 * t) / allTicks).toFixed(0)}%`).join(', ')}`);
  }
  if (Number(values.statements) > 0) statements.print(Number(values.statements), measured);
  if (inspector) printTopAllocators(await inspector.stop(), allocTop, measured);
  await app.close();
  rmSync(dir, { recursive: true, force: true });
  return 0;
}

/**
 * How much the old generation grows (sampled every 10 ms, the rises summed): objects that survived
 * two scavenges or were allocated old. Per message it does not depend on the machine's speed, and
 * it is what the full GCs (the helper threads' marking) must later sweep: garbage a turn leaves
 * there is paid for twice.
 */
function watchOldGeneration(): { stop(): number } {
  const used = () => getHeapSpaceStatistics().find((s) => s.space_name === 'old_space')?.space_used_size ?? 0;
  let grown = 0;
  let last = used();
  const timer = setInterval(() => {
    const now = used();
    if (now > last) grown += now - last;
    last = now;
  }, 10);
  return {
    stop() {
      clearInterval(timer);
      const now = used();
      return grown + Math.max(0, now - last);
    },
  };
}

/**
 * Counts the SQLite statements the turns run (run/get/all by SQL text), and the time spent inside
 * each (synchronous: the main thread's time, page reads from the OS included), by wrapping
 * better-sqlite3's prepare for this process: a count per message does not depend on the machine's
 * speed; the time does. Installed only with --statements (the wrapper costs a little on every call).
 */
function countStatements() {
  const counts = new Map<string, { n: number; ns: bigint }>();
  const state = {
    counting: false,
    print(top: number, messages: number) {
      const all = [...counts].sort((a, b) => b[1].n - a[1].n);
      const totalNs = all.reduce((sum, [, c]) => sum + c.ns, 0n);
      console.log(
        `SQLite statements per message (count, µs inside per message; all statements ${(Number(totalNs) / 1000 / messages).toFixed(1)} µs/msg, BEGIN/COMMIT not included):`,
      );
      for (const [sql, c] of all.slice(0, top)) console.log(`${(c.n / messages).toFixed(3).padStart(7)} ${(Number(c.ns) / 1000 / messages).toFixed(1).padStart(6)}  ${sql}`);
    },
  };
  const proto = Database.prototype as unknown as { prepare(sql: string): Record<'run' | 'get' | 'all', (...args: unknown[]) => unknown> };
  const prepare = proto.prepare;
  proto.prepare = function (this: unknown, sql: string) {
    const statement = prepare.call(this, sql);
    const label = sql.replace(/\s+/g, ' ').slice(0, 120);
    for (const method of ['run', 'get', 'all'] as const) {
      const call = statement[method];
      const name = `${method} ${label}`;
      statement[method] = function (this: unknown, ...args: unknown[]) {
        if (!state.counting) return call.apply(this, args);
        const t0 = process.hrtime.bigint();
        try {
          return call.apply(this, args);
        } finally {
          const c = counts.get(name) ?? { n: 0, ns: 0n };
          c.n += 1;
          c.ns += process.hrtime.bigint() - t0;
          counts.set(name, c);
        }
      };
    }
    return statement;
  };
  return state;
}

interface SamplingNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: SamplingNode[];
}

/** V8's sampling heap profiler, keeping the samples of objects already collected: what is allocated, not what stays. */
async function startAllocationSampling(): Promise<{ stop(): Promise<SamplingNode> }> {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  return {
    async stop() {
      const { profile } = (await session.post('HeapProfiler.stopSampling')) as unknown as { profile: { head: SamplingNode } };
      session.disconnect();
      return profile.head;
    },
  };
}

function printTopAllocators(head: SamplingNode, top: number, messages: number): void {
  const bySite = new Map<string, number>();
  let total = 0;
  const walk = (n: SamplingNode) => {
    const f = n.callFrame;
    const site = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/(node_modules\/)?/, '')}:${f.lineNumber + 1}`;
    bySite.set(site, (bySite.get(site) ?? 0) + n.selfSize);
    total += n.selfSize;
    for (const c of n.children) walk(c);
  };
  walk(head);
  console.log(`allocated ${(total / messages / 1024).toFixed(1)} KiB/msg (sampled); top sites:`);
  for (const [site, bytes] of [...bySite].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${(bytes / messages).toFixed(0).padStart(8)} B/msg  ${site}`);
}

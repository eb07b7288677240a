/**
 * What kefu's own log says about a run: pino lines at warn or above (counted per message, first
 * line of each kept verbatim) and turns that took 1 s or more by kefu's own "turn" timing.
 */
import { readFileSync } from 'node:fs';

export interface LogFindings {
  warnings: Map<string, { count: number; first: string }>;
  /** Slow first messages the bench sends right after a start (conversation ids with "-prime-"). */
  slowPrimeTurns: number;
  slowTurns: number;
  slowestTurnMs: number;
  slowSamples: string[];
  turns: number;
}

export function scanKefuLog(file: string): LogFindings {
  const f: LogFindings = { warnings: new Map(), slowPrimeTurns: 0, slowTurns: 0, slowestTurnMs: 0, slowSamples: [], turns: 0 };
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return f;
  }
  for (const line of text.split('\n')) {
    if (!line.startsWith('{')) continue;
    let entry: { level?: number; msg?: string; ms?: number; code?: string };
    try {
      entry = JSON.parse(line);
    } catch {
      continue;
    }
    if (entry.msg === 'turn') noteTurn(f, entry.ms ?? 0, line);
    if ((entry.level ?? 0) >= 40) {
      const key = `${entry.level} ${entry.msg ?? ''} ${entry.code ?? ''}`;
      const w = f.warnings.get(key) ?? { count: 0, first: line.slice(0, 600) };
      w.count += 1;
      f.warnings.set(key, w);
    }
  }
  return f;
}

function noteTurn(f: LogFindings, ms: number, line: string): void {
  f.turns += 1;
  if (ms < 1000) return;
  if (line.includes('-prime-')) {
    f.slowPrimeTurns += 1;
    return;
  }
  f.slowTurns += 1;
  f.slowestTurnMs = Math.max(f.slowestTurnMs, ms);
  if (f.slowSamples.length < 5) f.slowSamples.push(line.slice(0, 400));
}

/** Several servers' findings as one (e.g. the cells of a phase). */
export function mergeFindings(list: readonly LogFindings[]): LogFindings {
  const out: LogFindings = { warnings: new Map(), slowPrimeTurns: 0, slowTurns: 0, slowestTurnMs: 0, slowSamples: [], turns: 0 };
  for (const f of list) {
    out.turns += f.turns;
    out.slowPrimeTurns += f.slowPrimeTurns;
    out.slowTurns += f.slowTurns;
    out.slowestTurnMs = Math.max(out.slowestTurnMs, f.slowestTurnMs);
    out.slowSamples.push(...f.slowSamples.slice(0, 5 - out.slowSamples.length));
    for (const [k, w] of f.warnings) {
      const had = out.warnings.get(k);
      out.warnings.set(k, had ? { count: had.count + w.count, first: had.first } : { ...w });
    }
  }
  return out;
}

export function describeFindings(name: string, f: LogFindings): string {
  const prime = f.slowPrimeTurns ? `; also ${f.slowPrimeTurns} first messages right after a start (see the start-up table)` : '';
  const lines = [`${name}: ${f.turns} turns logged, ${f.slowTurns} took ≥ 1 s by kefu's own timing${f.slowTurns ? ` (slowest ${f.slowestTurnMs} ms)` : ''}${prime}`];
  for (const s of f.slowSamples) lines.push(`  slow turn: ${s}`);
  for (const [, w] of f.warnings) lines.push(`  ${w.count}× ${w.first}`);
  if (!f.warnings.size) lines.push('  no warn/error lines');
  return lines.join('\n');
}

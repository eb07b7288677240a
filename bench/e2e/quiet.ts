/**
 * This machine is shared (2 cores; someone may run a test suite meanwhile). Before a cell the bench
 * waits, within a limit, until the rest of the machine is idle, and a cell during which other
 * processes used much CPU is run again; the least disturbed run is kept.
 */
import { progress } from './context';
import type { CellResult } from './load';
import { machineSeconds } from './proc';

/** CPU the rest of the machine may use (in cores) and still count as quiet. */
export const QUIET_CORES = 0.15;
/** A cell whose other processes used more than this (in cores) is disturbed. */
export const DISTURBED_CORES = 0.25;

/** Waits until half a second passes with under QUIET_CORES of CPU in use, or `maxMs` runs out; returns the ms waited. */
export async function waitQuiet(maxMs: number): Promise<number> {
  const t0 = performance.now();
  let told = false;
  while (performance.now() - t0 < maxMs) {
    const a = machineSeconds().busy;
    await new Promise((r) => setTimeout(r, 500));
    const used = (machineSeconds().busy - a) / 0.5;
    if (used < QUIET_CORES) return performance.now() - t0;
    if (!told) progress(`  waiting for the machine to be quiet (${(100 * used).toFixed(0)}% of a core in use by other processes) …`);
    told = true;
  }
  progress(`  still busy after ${Math.round(maxMs / 1000)} s; measuring anyway`);
  return performance.now() - t0;
}

export function disturbance(r: CellResult): number {
  return r.otherCpuSeconds / r.wallSeconds;
}

/**
 * Runs `cell` (after waiting for quiet) up to 1 + retries times while disturbed; keeps the least
 * disturbed result. `attempt` lets each run use fresh conversation ids.
 */
export async function measureQuietly(cell: (attempt: number) => Promise<CellResult>, opts: { quietWaitMs: number; retries: number }): Promise<CellResult> {
  let best: CellResult | undefined;
  for (let attempt = 0; attempt <= opts.retries; attempt++) {
    if (opts.quietWaitMs > 0) await waitQuiet(opts.quietWaitMs);
    const r = await cell(attempt);
    if (!best || disturbance(r) < disturbance(best)) best = r;
    if (disturbance(r) <= DISTURBED_CORES) break;
    progress(
      `  ${r.target} ${r.label}: other processes used ${(100 * disturbance(r)).toFixed(0)}% of a core; ${attempt < opts.retries ? 'again' : 'keeping the least disturbed run'}`,
    );
  }
  const kept = best as CellResult;
  if (disturbance(kept) > DISTURBED_CORES) kept.extra.DISTURBED = `other ${(100 * disturbance(kept)).toFixed(0)}%`;
  return kept;
}

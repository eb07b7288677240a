/** Latency percentiles (nearest rank) and number formatting for the tables. */

export interface LatencySummary {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles of latencies in ms; all zero for an empty list. */
export function summarizeLatencies(ms: readonly number[]): LatencySummary {
  if (!ms.length) return { p50: 0, p95: 0, p99: 0, max: 0 };
  const sorted = Float64Array.from(ms).sort();
  const at = (p: number) => sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)] as number;
  return { p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted[sorted.length - 1] as number };
}

/** 3 significant digits for small numbers, whole numbers above 100. */
export function fmt(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return '–';
  if (Math.abs(x) >= 100) return Math.round(x).toString();
  if (Math.abs(x) >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

export function mb(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(0);
}

/** A plain-text table: first column left-aligned, the others right-aligned. */
export function table(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number)))
      .join('  ')
      .trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

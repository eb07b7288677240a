/** The human-readable `kefu eval` report: summary, per-intent P/R/F1, most confused pairs. */
import type { EvalReport } from './evaluate';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

export function formatTextReport(r: EvalReport, title: string): string {
  const lines: string[] = [];
  lines.push(title, '');
  lines.push(`  utterances        ${r.total} (trained on ${r.trainSize}${r.folds ? `, ${r.folds}-fold cross-validation` : ''})`);
  lines.push(`  accuracy          ${pct(r.accuracy)}`);
  lines.push(`  macro-F1          ${pct(r.macroF1)}`);
  lines.push(`  in-scope accuracy ${pct(r.inScopeAccuracy)}`);
  if (r.oosRecall !== undefined) lines.push(`  oos recall        ${pct(r.oosRecall)}`);
  lines.push(`  threshold         ${r.threshold}`);
  lines.push(`  train time        ${r.trainSeconds.toFixed(2)} s (${r.trainCpuSeconds.toFixed(2)} s CPU)`);
  lines.push(`  classifications   ${r.utterancesPerSecond}/s`);
  lines.push(`  peak memory       ${r.peakRssMB} MB`, '');
  const width = Math.max(6, ...r.perIntent.map((s) => s.intent.length));
  lines.push(`  ${'intent'.padEnd(width)}  precision  recall     F1  support`);
  for (const s of r.perIntent) {
    lines.push(`  ${s.intent.padEnd(width)}  ${pct(s.precision).padStart(9)}  ${pct(s.recall).padStart(6)} ${pct(s.f1).padStart(6)}  ${String(s.support).padStart(7)}`);
  }
  lines.push('', '  most confused (gold → predicted)');
  if (r.confusions.length === 0) lines.push('    none');
  for (const c of r.confusions) lines.push(`    ${String(c.count).padStart(4)}  ${c.gold} → ${c.predicted}`);
  return `${lines.join('\n')}\n`;
}

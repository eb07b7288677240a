/**
 * A run's report for a terminal: one line per story, then for each failure the story, the step
 * (its number and how it was written), expected against got, and the conversation so far.
 */
import type { RunReport, StoryResult } from './story-app';

const indent = (text: string, by: string) => text.split('\n').join(`\n${by}`);

/** One line: `✓ greeting (stories/demo/greeting.yaml, 120 ms)`. */
export function formatStoryLine(r: StoryResult): string {
  return `${r.passed ? '✓' : '✗'} ${r.name} (${r.file}, ${r.ms} ms)`;
}

/** The readable diff of a failed story. */
export function formatFailure(r: StoryResult): string {
  const f = r.failure;
  if (!f) return '';
  const lines = [
    `✗ ${r.name}  (${r.file})`,
    `  step ${f.step}: ${f.written}`,
    `  - expected: ${indent(f.expected, '              ')}`,
    `  + got:      ${indent(f.got, '              ')}`,
    '  conversation so far:',
    ...r.transcript.map((t) => `    ${t.who.padEnd(9)} ${indent(t.text, '              ')}`),
  ];
  return lines.join('\n');
}

/** Every story's line, the failures' diffs, and `N passed, N failed`. */
export function formatReport(report: RunReport): string {
  const lines = report.results.map(formatStoryLine);
  const failures = report.results.filter((r) => !r.passed).map(formatFailure);
  return [...lines, ...(failures.length ? ['', ...failures] : []), '', `${report.passed} passed, ${report.failed} failed`, ''].join('\n');
}

/** A self-contained HTML page with the confusion matrix (rows gold, columns predicted). */
import type { EvalReport } from './evaluate';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function formatHtmlReport(r: EvalReport, title: string): string {
  const max = Math.max(1, ...r.matrix.flatMap((row, i) => row.filter((_, j) => j !== i)));
  const head = r.labels.map((l) => `<th class="col"><div>${esc(l)}</div></th>`).join('');
  const rows = r.matrix
    .map((row, i) => {
      const cells = row
        .map((n, j) => {
          if (n === 0) return '<td></td>';
          const alpha = i === j ? 0.35 : 0.15 + (0.85 * n) / max;
          const color = i === j ? `rgba(40,140,60,${alpha})` : `rgba(200,40,40,${alpha.toFixed(2)})`;
          return `<td style="background:${color}" title="${esc(r.labels[i] as string)} → ${esc(r.labels[j] as string)}: ${n}">${n}</td>`;
        })
        .join('');
      return `<tr><th>${esc(r.labels[i] as string)}</th>${cells}</tr>`;
    })
    .join('\n');
  const summary = [
    `accuracy ${(r.accuracy * 100).toFixed(1)}%`,
    `macro-F1 ${(r.macroF1 * 100).toFixed(1)}%`,
    `in-scope accuracy ${(r.inScopeAccuracy * 100).toFixed(1)}%`,
    ...(r.oosRecall !== undefined ? [`oos recall ${(r.oosRecall * 100).toFixed(1)}%`] : []),
    `${r.total} utterances`,
  ].join(' · ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
body{font:13px system-ui,sans-serif;margin:1.5em}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:2px 4px;text-align:right;min-width:1.6em}
th{background:#f6f6f6;font-weight:normal;white-space:nowrap}
th.col{height:10em;vertical-align:bottom}th.col div{writing-mode:vertical-rl;transform:rotate(180deg)}
</style></head><body>
<h1>${esc(title)}</h1><p>${esc(summary)}</p><p>Rows: gold intent. Columns: predicted intent. Green: correct; red: mistakes (darker = more).</p>
<table><tr><th>gold \\ predicted</th>${head}</tr>
${rows}
</table></body></html>
`;
}

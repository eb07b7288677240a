/**
 * CSV as spreadsheets read it (RFC 4180): a header row, CRLF line ends, fields quoted when they hold
 * a comma, quote or line break. A text field that starts with `=`, `+`, `-`, `@`, tab or CR is
 * prefixed with `'`, so a customer's name cannot become a formula in the supervisor's spreadsheet.
 */
export type Cell = string | number | boolean | undefined | null;

const FORMULA_START = /^[=+\-@\t\r]/;

function field(cell: Cell): string {
  if (cell === undefined || cell === null) return '';
  if (typeof cell !== 'string') return String(cell);
  const safe = FORMULA_START.test(cell) ? `'${cell}` : cell;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function toCsv(header: readonly string[], rows: ReadonlyArray<readonly Cell[]>): string {
  return [header, ...rows]
    .map((row) => row.map(field).join(','))
    .join('\r\n')
    .concat('\r\n');
}

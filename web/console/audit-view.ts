/**
 * The Audit log view: the last daily automatic verification (a failure stands out), staff actions
 * newest first, pages of 50, and a button that verifies the hash chain on the server.
 * Data: GET /console/api/audit/daily, GET /console/api/audit, GET /console/api/audit/verify.
 */
import type { AuditEntry, AuditVerification } from '../../plugins/audit/types';
import { call } from './api';
import { tr } from './insights-i18n';
import { el } from './render';

function row(e: AuditEntry): HTMLTableRowElement {
  const detail = Object.entries(e.detail)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return el(
    'tr',
    { 'data-seq': String(e.seq) },
    el('td', {}, String(e.seq)),
    el('td', {}, new Date(e.at).toLocaleString()),
    el('td', {}, e.actor),
    el('td', { class: 'audit__action' }, e.action),
    el('td', {}, e.target),
    el('td', { class: 'audit__detail' }, detail),
    el('td', { class: 'audit__hash', title: e.hash }, e.hash.slice(0, 10)),
  );
}

async function verify(out: HTMLElement): Promise<void> {
  out.className = 'audit__result';
  out.textContent = tr('loading');
  const res = await call<{ verification: AuditVerification }>('GET', '/console/api/audit/verify');
  if (!res.ok) {
    out.textContent = `${res.error.code}: ${res.error.message}`;
    out.classList.add('error');
    return;
  }
  const v = res.value.verification;
  if (v.ok) {
    out.textContent = v.head ? tr('verifyOk', { n: v.entries, seq: v.head.seq, hash: `${v.head.hash.slice(0, 16)}…` }) : tr('verifyEmpty');
    out.classList.add('audit__result--ok');
  } else {
    out.textContent = tr('verifyBroken', { seq: v.seq, problem: v.problem, message: v.message });
    out.classList.add('audit__result--broken');
  }
}

interface DailyDigestView {
  date: string;
  ok: boolean;
  entries: number;
  problem?: { message: string };
}

/** The newest daily digest: green when the day verified, a red alert when it did not. */
async function daily(out: HTMLElement): Promise<void> {
  const res = await call<{ digests: DailyDigestView[] }>('GET', '/console/api/audit/daily');
  if (!res.ok) return;
  const last = res.value.digests[0];
  out.className = `audit__result audit__daily ${last ? (last.ok ? 'audit__result--ok' : 'audit__result--broken') : ''}`;
  if (last && !last.ok) out.setAttribute('role', 'alert');
  out.textContent = !last
    ? tr('dailyNone')
    : last.ok
      ? tr('dailyOk', { date: last.date, n: last.entries })
      : tr('dailyBroken', { date: last.date, message: last.problem?.message ?? '' });
}

export async function showAudit(container: HTMLElement): Promise<void> {
  const dailyLine = el('p', { id: 'audit-daily', class: 'audit__result audit__daily' });
  const result = el('p', { id: 'audit-result', class: 'audit__result', role: 'status' });
  const check = el('button', { type: 'button', id: 'audit-verify', class: 'primary' }, tr('verify'));
  check.addEventListener('click', () => void verify(result));
  const tbody = el('tbody', {});
  const table = el(
    'table',
    { id: 'audit-table', class: 'grid' },
    el(
      'thead',
      {},
      el('tr', {}, ...['seq', 'time', 'actor', 'action', 'target', 'detail'].map((k) => el('th', { scope: 'col' }, tr(k as 'seq'))), el('th', { scope: 'col' }, 'SHA-256')),
    ),
    tbody,
  );
  const older = el('button', { type: 'button', id: 'audit-older', hidden: '' }, tr('older'));
  let before: number | undefined;
  const load = async () => {
    const res = await call<{ entries: AuditEntry[] }>('GET', `/console/api/audit?limit=50${before ? `&before=${before}` : ''}`);
    if (!res.ok) {
      result.textContent = `${res.error.code}: ${res.error.message}`;
      return;
    }
    tbody.append(...res.value.entries.map(row));
    const lastSeq = res.value.entries.at(-1)?.seq;
    before = lastSeq;
    older.hidden = !lastSeq || lastSeq <= 1;
    if (!tbody.children.length) tbody.append(el('tr', {}, el('td', { colspan: '7' }, tr('auditEmpty'))));
  };
  older.addEventListener('click', () => void load());
  container.replaceChildren(
    el('h2', {}, tr('auditTitle')),
    dailyLine,
    el('p', { class: 'hint' }, tr('auditHint')),
    el('div', { class: 'insights__controls' }, check),
    result,
    table,
    older,
  );
  await Promise.all([load(), daily(dailyLine)]);
}

/**
 * The Staff view (admins only): the accounts with their role and state, disable/enable and a
 * password reset per account, and a form that creates an account (an agent profile, a role and a
 * password). Data: GET /console/api/staff, POST /console/api/staff[/:id/disable|enable|password].
 */
import { call } from './api';
import { type InsightKey, tr } from './insights-i18n';
import { el } from './render';

type Toast = (text: string, error?: boolean) => void;

/** An account as GET /console/api/staff lists it (no hash). */
interface StaffAccountView {
  id: string;
  name?: string;
  role: 'agent' | 'supervisor' | 'admin';
  disabled: boolean;
  source: 'config' | 'console';
}
const ROLES = ['agent', 'supervisor', 'admin'] as const;
const staffPath = (id: string, action: string) => `/console/api/staff/${encodeURIComponent(id)}/${action}`;

function roleSelect(id: string, value = 'agent'): HTMLSelectElement {
  return el(
    'select',
    { id, 'aria-label': tr('staffRole') },
    ...ROLES.map((r) => {
      const o = el('option', { value: r }, tr(`role_${r}` as InsightKey));
      o.selected = r === value;
      return o;
    }),
  );
}

function accountRow(a: StaffAccountView, act: (path: string, body: unknown, done: string) => void): HTMLTableRowElement {
  const toggle = el('button', { type: 'button', class: 'staff__toggle', 'data-action': a.disabled ? 'enable' : 'disable' }, tr(a.disabled ? 'enable' : 'disable'));
  toggle.addEventListener('click', () => act(staffPath(a.id, a.disabled ? 'enable' : 'disable'), {}, tr(a.disabled ? 'enabledDone' : 'disabledDone', { id: a.id })));
  const password = el('input', {
    type: 'password',
    class: 'staff__password',
    autocomplete: 'new-password',
    placeholder: tr('newPassword'),
    'aria-label': `${tr('newPassword')} ${a.id}`,
  });
  const reset = el('button', { type: 'button', class: 'staff__reset' }, tr('resetPassword'));
  reset.addEventListener('click', () => act(staffPath(a.id, 'password'), { password: password.value }, tr('passwordDone', { id: a.id })));
  return el(
    'tr',
    { 'data-staff-id': a.id, class: a.disabled ? 'staff--disabled' : '' },
    el('td', {}, a.id),
    el('td', {}, a.name ?? ''),
    el('td', { class: 'staff__role' }, tr(`role_${a.role}` as InsightKey)),
    el('td', { class: 'staff__state' }, tr(a.disabled ? 'disabledState' : 'enabled')),
    el('td', {}, tr(`source_${a.source}` as InsightKey)),
    el('td', { class: 'staff__actions' }, toggle, password, reset),
  );
}

function field(label: string, input: HTMLElement): HTMLLabelElement {
  return el('label', { class: 'staff__field' }, label, input);
}

function createForm(act: (path: string, body: unknown, done: string) => void): HTMLFormElement {
  const id = el('input', { id: 'staff-new-id', required: '', pattern: '[a-z0-9][a-z0-9_\\-]{0,63}', autocomplete: 'off' });
  const name = el('input', { id: 'staff-new-name', required: '' });
  const role = roleSelect('staff-new-role');
  const password = el('input', { id: 'staff-new-password', type: 'password', required: '', minlength: '12', autocomplete: 'new-password' });
  const en = el('input', { type: 'checkbox', id: 'staff-new-en', value: 'en' });
  const zh = el('input', { type: 'checkbox', id: 'staff-new-zh', value: 'zh' });
  en.checked = true;
  const skills = el('input', { id: 'staff-new-skills', value: 'general' });
  const capacity = el('input', { id: 'staff-new-capacity', type: 'number', min: '1', max: '100', value: '3' });
  const form = el(
    'form',
    { id: 'staff-new', class: 'staff__new' },
    el('h3', {}, tr('createTitle')),
    field(tr('staffId'), id),
    field(tr('staffName'), name),
    field(tr('staffRole'), role),
    field(tr('password'), password),
    el('fieldset', { class: 'staff__field' }, el('legend', {}, tr('languages')), el('label', {}, en, 'English'), el('label', {}, zh, '中文')),
    field(tr('skills'), skills),
    field(tr('capacity'), capacity),
    el('button', { type: 'submit', id: 'staff-new-submit', class: 'primary' }, tr('create')),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const body = {
      id: id.value.trim(),
      name: name.value.trim(),
      role: role.value,
      password: password.value,
      languages: [en, zh].filter((c) => c.checked).map((c) => c.value),
      skills: skills.value
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
      capacity: Number(capacity.value),
    };
    act('/console/api/staff', body, tr('created', { id: body.id }));
  });
  return form;
}

/** Draws the staff view into `container`; `toast` reports results. */
export async function showStaff(container: HTMLElement, toast: Toast): Promise<void> {
  const head = [el('h2', {}, tr('staffTitle')), el('p', { class: 'hint' }, tr('staffHint'))];
  container.replaceChildren(...head, el('p', { class: 'insights__status' }, tr('loading')));
  const res = await call<{ accounts: StaffAccountView[] }>('GET', '/console/api/staff');
  if (!res.ok) {
    container.replaceChildren(...head, el('p', { class: 'error' }, `${res.error.code}: ${res.error.message}`));
    return;
  }
  const act = async (path: string, body: unknown, done: string) => {
    const r = await call('POST', path, body);
    if (!r.ok) return toast(`${r.error.code}: ${r.error.message}`, true);
    toast(done);
    await showStaff(container, toast);
  };
  const columns: InsightKey[] = ['staffId', 'staffName', 'staffRole', 'staffState', 'staffSource', 'action'];
  const table = el(
    'table',
    { id: 'staff-table', class: 'grid' },
    el('thead', {}, el('tr', {}, ...columns.map((k) => el('th', { scope: 'col' }, tr(k))))),
    el('tbody', {}, ...res.value.accounts.map((a) => accountRow(a, (p, b, d) => void act(p, b, d)))),
  );
  container.replaceChildren(
    ...head,
    table,
    createForm((p, b, d) => void act(p, b, d)),
  );
}

/**
 * The Experiments view (supervisors, admins): each A/B experiment with its state and, per variant,
 * conversations, escalation, automation and resolution rates with 95 % intervals, CSAT and turns to
 * resolution; the verdict against the control ("not enough data yet" below the minimum sample);
 * Stop and "Roll out" buttons. Data: GET /console/api/experiments, POST …/:id/stop, …/:id/rollout.
 */
import type { ExperimentReport, ExperimentView, VariantComparison, VariantFigures } from '../../plugins/experiments';
import { call } from './api';
import { uiLocale } from './insights-i18n';
import { el } from './render';

type Listed = ExperimentView & { report: ExperimentReport };

const TEXTS = {
  en: {
    none: 'No experiments. Declare them in EXPERIMENTS_FILE or create one (POST /console/api/experiments).',
    variant: 'Variant',
    conversations: 'Conversations',
    escalation: 'Escalation',
    automation: 'Automation',
    resolution: 'Resolution',
    csat: 'CSAT',
    turns: 'Turns to resolution',
    notEnough: 'Not enough data yet: {n} conversations per variant needed.',
    significant: '{variant} vs {control}: escalation {diff} points, p = {p} — significant.',
    notSignificant: '{variant} vs {control}: escalation {diff} points, p = {p} — no significant difference.',
    csatTest: 'CSAT (Mann–Whitney U): p = {p}',
    stop: 'Stop',
    rollOut: 'Roll out {variant}',
    running: 'running',
    stopped: 'stopped',
    'rolled-out': 'rolled out: {variant}',
    done: 'Saved.',
  },
  zh: {
    none: '暂无实验。可在 EXPERIMENTS_FILE 中声明，或新建（POST /console/api/experiments）。',
    variant: '版本',
    conversations: '会话数',
    escalation: '转人工率',
    automation: '自动化率',
    resolution: '解决率',
    csat: '满意度',
    turns: '解决所需轮次',
    notEnough: '数据不足：每个版本需要 {n} 个会话。',
    significant: '{variant} 对比 {control}：转人工率相差 {diff} 个百分点，p = {p}，差异显著。',
    notSignificant: '{variant} 对比 {control}：转人工率相差 {diff} 个百分点，p = {p}，差异不显著。',
    csatTest: '满意度（Mann–Whitney U 检验）：p = {p}',
    stop: '停止',
    rollOut: '全量发布 {variant}',
    running: '进行中',
    stopped: '已停止',
    'rolled-out': '已全量：{variant}',
    done: '已保存。',
  },
} as const;
type Key = keyof (typeof TEXTS)['en'];

function t(key: Key, vars: Record<string, string | number> = {}): string {
  return TEXTS[uiLocale()][key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const rateCell = (r: { rate: number; low: number; high: number }) => el('td', {}, `${pct(r.rate)} [${pct(r.low)}–${pct(r.high)}]`);
const meanCell = (m: { n: number; mean: number; low: number; high: number }) =>
  el('td', {}, m.n ? `${m.mean.toFixed(2)} [${m.low.toFixed(2)}–${m.high.toFixed(2)}] (n=${m.n})` : '–');

function variantRow(v: VariantFigures): HTMLTableRowElement {
  return el(
    'tr',
    { 'data-variant': v.id },
    el('th', { scope: 'row' }, v.id),
    el('td', {}, String(v.conversations)),
    rateCell(v.escalation),
    rateCell(v.automation),
    rateCell(v.resolution),
    meanCell(v.csat),
    meanCell(v.turnsToResolution),
  );
}

function verdict(c: VariantComparison): HTMLElement {
  const vars = { variant: c.variant, control: c.against, diff: (c.escalation.difference * 100).toFixed(1), p: c.escalation.p.toFixed(3) };
  const line = el('p', { class: 'experiment__verdict' }, t(c.escalation.significant ? 'significant' : 'notSignificant', vars));
  if (c.csat) line.append(el('br', {}), t('csatTest', { p: c.csat.p.toFixed(3) }));
  return line;
}

function card(e: Listed, act: (path: string, body: unknown) => Promise<void>): HTMLElement {
  const { experiment, status, report } = e;
  const state = status.state === 'rolled-out' ? t('rolled-out', { variant: status.variant ?? '' }) : t(status.state);
  const head = el('tr', {}, ...(['variant', 'conversations', 'escalation', 'automation', 'resolution', 'csat', 'turns'] as const).map((k) => el('th', { scope: 'col' }, t(k))));
  const table = el('table', { class: 'grid' }, el('thead', {}, head), el('tbody', {}, ...report.variants.map(variantRow)));
  const verdicts = report.enoughData
    ? report.comparisons.map(verdict)
    : [el('p', { class: 'experiment__verdict experiment__verdict--wait' }, t('notEnough', { n: report.minSample }))];
  const path = `/console/api/experiments/${encodeURIComponent(experiment.id)}`;
  const buttons: HTMLElement[] = [];
  if (status.state === 'running') {
    const stop = el('button', { type: 'button', class: 'danger', 'data-action': 'stop' }, t('stop'));
    stop.addEventListener('click', () => void act(`${path}/stop`, {}));
    buttons.push(stop);
    for (const v of experiment.variants) {
      const roll = el('button', { type: 'button', 'data-action': 'rollout', 'data-variant': v.id }, t('rollOut', { variant: v.id }));
      roll.addEventListener('click', () => void act(`${path}/rollout`, { variant: v.id }));
      buttons.push(roll);
    }
  }
  return el(
    'section',
    { class: 'experiment', 'data-experiment': experiment.id, 'aria-labelledby': `exp-${experiment.id}` },
    el('h2', { id: `exp-${experiment.id}` }, `${experiment.id} · ${state}`),
    ...(experiment.description ? [el('p', {}, experiment.description)] : []),
    table,
    ...verdicts,
    el('div', { class: 'experiment__actions' }, ...buttons),
  );
}

export async function showExperiments(container: HTMLElement, toast: (text: string, error?: boolean) => void): Promise<void> {
  const res = await call<{ experiments: Listed[] }>('GET', '/console/api/experiments');
  if (!res.ok) {
    container.replaceChildren(el('p', { class: 'error' }, `${res.error.code}: ${res.error.message}`));
    return;
  }
  const act = async (path: string, body: unknown) => {
    const done = await call('POST', path, body);
    if (done.ok) toast(t('done'));
    else toast(`${done.error.code}: ${done.error.message}`, true);
    await showExperiments(container, toast);
  };
  const list = res.value.experiments;
  container.replaceChildren(...(list.length ? list.map((e) => card(e, act)) : [el('p', {}, t('none'))]));
}

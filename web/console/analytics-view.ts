/**
 * The Analytics view: a date range (and channel / language filters), KPI tiles, a line chart of
 * conversations and escalations per day, bars of escalation reasons, the CSAT distribution, and
 * tables of top intents and the split by channel and language, and who served the conversations
 * (bot, agents, experts) beside the brief's 68/22/10. Data: GET /console/api/analytics.
 */
import type { AnalyticsReport, Kpis } from '../../plugins/analytics/types';
import { barChart, columnChart, lineChart } from './analytics-charts';
import { call } from './api';
import { duration, type InsightKey, number, percent, tr } from './insights-i18n';
import { el } from './render';

const REASONS = ['requested', 'misunderstood', 'sentiment', 'rule', 'dialog'] as const;

const state = { from: '', to: '', channel: '', locale: '' };
let last: AnalyticsReport | undefined;

function localDay(offsetDays = 0): string {
  const d = new Date();
  d.setDate(d.getDate() + offsetDays);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function option(value: string, label: string, selected: boolean): HTMLOptionElement {
  const o = el('option', { value }, label);
  o.selected = selected;
  return o;
}

function controls(container: HTMLElement): HTMLElement {
  const from = el('input', { id: 'an-from', type: 'date', value: state.from, 'aria-label': tr('from') });
  const to = el('input', { id: 'an-to', type: 'date', value: state.to, 'aria-label': tr('to') });
  const channels = Object.keys(last?.byChannel ?? {});
  if (state.channel && !channels.includes(state.channel)) channels.push(state.channel);
  const channel = el(
    'select',
    { id: 'an-channel', 'aria-label': tr('channel') },
    option('', tr('allChannels'), !state.channel),
    ...channels.map((c) => option(c, c, c === state.channel)),
  );
  const locale = el(
    'select',
    { id: 'an-locale', 'aria-label': tr('language') },
    option('', tr('allLanguages'), !state.locale),
    option('en', 'English', state.locale === 'en'),
    option('zh', '中文', state.locale === 'zh'),
  );
  const reload = () => {
    Object.assign(state, { from: from.value, to: to.value, channel: channel.value, locale: locale.value });
    void showAnalytics(container);
  };
  const preset = (days: number) => () => {
    Object.assign(state, { from: localDay(-(days - 1)), to: localDay() });
    void showAnalytics(container);
  };
  const last7 = el('button', { type: 'button', id: 'an-last7' }, tr('last7'));
  const last30 = el('button', { type: 'button', id: 'an-last30' }, tr('last30'));
  const refresh = el('button', { type: 'button', id: 'an-refresh', class: 'primary' }, tr('refresh'));
  last7.addEventListener('click', preset(7));
  last30.addEventListener('click', preset(30));
  refresh.addEventListener('click', reload);
  return el('div', { class: 'insights__controls' }, el('label', {}, `${tr('from')} `, from), el('label', {}, `${tr('to')} `, to), channel, locale, last7, last30, refresh);
}

function tile(key: string, label: string, value: string, sub?: string): HTMLElement {
  return el(
    'div',
    { class: 'kpi', 'data-kpi': key },
    el('span', { class: 'kpi__label' }, label),
    el('strong', { class: 'kpi__value' }, value),
    sub ? el('span', { class: 'kpi__sub' }, sub) : undefined,
  );
}

function tiles(k: Kpis): HTMLElement {
  return el(
    'div',
    { class: 'kpis' },
    tile('conversations', tr('conversations'), number(k.conversations), `${number(k.turns)} ${tr('turns')}`),
    tile('automationRate', tr('automationRate'), percent(k.automationRate)),
    tile('escalationRate', tr('escalationRate'), percent(k.escalationRate), `${number(k.escalations)} ${tr('escalationsLower')}`),
    tile('fallbackRate', tr('fallbackRate'), percent(k.fallbackRate)),
    tile('avgWait', tr('avgWait'), duration(k.wait.avgMs)),
    tile('p90Wait', tr('p90Wait'), duration(k.wait.p90Ms)),
    tile('firstResponse', tr('firstResponse'), duration(k.firstResponse.avgMs)),
    tile('handleTime', tr('handleTime'), duration(k.handle.avgMs)),
    tile(
      'csat',
      tr('csat'),
      k.csat.average === undefined ? tr('none') : `${k.csat.average.toFixed(2)} / 5`,
      `${number(k.csat.count)} ${tr(k.csat.count === 1 ? 'rating' : 'ratings')}`,
    ),
  );
}

function table(id: string, caption: string, head: string[], rows: Array<Array<string | number>>): HTMLTableElement {
  return el(
    'table',
    { id, class: 'grid' },
    el('caption', {}, caption),
    el('thead', {}, el('tr', {}, ...head.map((h) => el('th', { scope: 'col' }, h)))),
    el(
      'tbody',
      {},
      ...(rows.length ? rows : [[tr('none'), ...head.slice(1).map(() => '')]]).map((r) => el('tr', {}, ...r.map((c) => el('td', {}, typeof c === 'number' ? number(c) : c)))),
    ),
  );
}

function splitRows(split: Record<string, Kpis | undefined>): Array<Array<string | number>> {
  return Object.entries(split).flatMap(([name, k]) =>
    k ? [[name, k.conversations, percent(k.automationRate), percent(k.escalationRate), k.csat.average?.toFixed(2) ?? tr('none')]] : [],
  );
}

/** A share with its count, e.g. "50% (3)". */
function shareCell(share: number | undefined, n: number): string {
  return `${percent(share)} (${number(n)})`;
}

/** The tier split beside the brief's 68/22/10: reference, all, then per day, channel and language. */
function tiersTable(r: AnalyticsReport): HTMLTableElement {
  const row = (name: string, k: Kpis | undefined): Array<Array<string | number>> =>
    k ? [[name, shareCell(k.tiers.shares?.bot, k.tiers.bot), shareCell(k.tiers.shares?.agents, k.tiers.agents), shareCell(k.tiers.shares?.experts, k.tiers.experts)]] : [];
  const ref = r.referenceTiers;
  const rows: Array<Array<string | number>> = [
    [tr('tierReference'), percent(ref.bot), percent(ref.agents), percent(ref.experts)],
    ...row(tr('tierMeasured'), r.totals),
    ...r.days.flatMap((d) => (d.conversations ? row(d.day, d) : [])),
    ...Object.entries(r.byChannel).flatMap(([c, k]) => row(c, k)),
    ...Object.entries(r.byLocale).flatMap(([l, k]) => row(l, k)),
  ];
  return table('an-tiers', tr('tiersTitle'), [tr('tierSlice'), tr('tierBot'), tr('tierAgents'), tr('tierExperts')], rows);
}

function body(r: AnalyticsReport): HTMLElement {
  const k = r.totals;
  const labels = r.days.map((d) => d.day);
  const daily = lineChart('chart-daily', tr('daily'), labels, [
    { name: tr('conversations'), key: 'conversations', values: r.days.map((d) => d.conversations) },
    { name: tr('escalations'), key: 'escalations', values: r.days.map((d) => d.escalations) },
  ]);
  const reasons = barChart(
    'chart-reasons',
    tr('reasons'),
    REASONS.map((reason) => ({
      label: tr(`reason_${reason}` as InsightKey),
      value: k.escalationsByReason[reason],
      text: `${k.escalationsByReason[reason]} · ${percent(k.escalationRateByReason[reason])}`,
    })),
  );
  const csat = columnChart(
    'chart-csat',
    tr('csatChart'),
    k.csat.distribution.map((n, i) => ({ label: `${i + 1}★`, value: n })),
  );
  const head = [tr('conversations'), tr('automationRate'), tr('escalationRate'), tr('csat')];
  return el(
    'div',
    { class: 'insights__body' },
    tiles(k),
    k.turns === 0 && k.escalations === 0 ? el('p', { class: 'empty' }, tr('noData')) : undefined,
    el(
      'div',
      { class: 'charts' },
      el('figure', { class: 'chart-box chart-box--wide' }, daily),
      el('figure', { class: 'chart-box' }, reasons),
      el('figure', { class: 'chart-box' }, csat),
    ),
    el(
      'div',
      { class: 'tables' },
      table(
        'an-intents',
        tr('topIntents'),
        [tr('intent'), tr('count')],
        k.topIntents.map((i) => [i.intent, i.count]),
      ),
      table('an-channels', tr('byChannel'), [tr('channel'), ...head], splitRows(r.byChannel)),
      table('an-locales', tr('byLanguage'), [tr('language'), ...head], splitRows(r.byLocale)),
      tiersTable(r),
    ),
  );
}

/** Draws the view into `container` and loads the report for the chosen range. */
export async function showAnalytics(container: HTMLElement): Promise<void> {
  if (!state.from) Object.assign(state, { from: localDay(-6), to: localDay() });
  const status = el('p', { class: 'insights__status', role: 'status' }, tr('loading'));
  container.replaceChildren(el('h2', {}, tr('tabAnalytics')), controls(container), status);
  const q = new URLSearchParams({ from: state.from, to: state.to, ...(state.channel ? { channel: state.channel } : {}), ...(state.locale ? { locale: state.locale } : {}) });
  const res = await call<{ report: AnalyticsReport }>('GET', `/console/api/analytics?${q}`);
  if (!res.ok) {
    status.textContent = `${res.error.code}: ${res.error.message}`;
    status.classList.add('error');
    return;
  }
  last = res.value.report;
  container.replaceChildren(el('h2', {}, tr('tabAnalytics')), controls(container), body(last));
}

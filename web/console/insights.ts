/**
 * The tab bar of the console (Conversations · Analytics · Inbox · Canned responses · Audit log ·
 * Staff · Knowledge base) and the
 * view-language toggle (English / 中文). The desk is main.ts's; the other tabs draw into #insights.
 * Tabs the staff member's role cannot use are hidden (the server refuses them anyway).
 */
import { showAnalytics } from './analytics-view';
import { showAudit } from './audit-view';
import { showCanned } from './canned-view';
import { showExperiments } from './experiments-view';
import { showInbox } from './inbox-view';
import { type InsightKey, setUiLocale, tr, uiLocale } from './insights-i18n';
import { showKnowledgeBase } from './kb-view';
import { showQa } from './qa-view';
import { showStaff } from './staff-view';

type Tab = 'desk' | 'analytics' | 'inbox' | 'canned' | 'audit' | 'staff' | 'kb' | 'experiments' | 'qa';
type Role = 'agent' | 'supervisor' | 'admin';
const TABS: Record<Tab, InsightKey> = {
  desk: 'tabDesk',
  analytics: 'tabAnalytics',
  inbox: 'tabInbox',
  canned: 'tabCanned',
  audit: 'tabAudit',
  staff: 'tabStaff',
  kb: 'tabKb',
  experiments: 'tabExperiments',
  qa: 'tabQa',
};
/** Who sees which tab (docs/roles.md). */
const TAB_ROLES: Record<Tab, readonly Role[]> = {
  desk: ['agent', 'supervisor', 'admin'],
  inbox: ['agent', 'supervisor', 'admin'],
  canned: ['agent', 'supervisor', 'admin'],
  analytics: ['supervisor', 'admin'],
  audit: ['supervisor', 'admin'],
  staff: ['admin'],
  kb: ['supervisor', 'admin'],
  experiments: ['supervisor', 'admin'],
  qa: ['supervisor', 'admin'],
};

let openTab: ((tab: Tab) => void) | undefined;

/** Shows only the tabs `role` may use; back to the desk when the open tab is not one of them. */
export function showTabsFor(role: Role): void {
  const app = document.getElementById('app');
  for (const [name, roles] of Object.entries(TAB_ROLES)) {
    const b = document.getElementById(`tab-${name}`);
    if (b) b.hidden = !roles.includes(role);
  }
  const current = (app?.dataset.tab ?? 'desk') as Tab;
  if (!TAB_ROLES[current]?.includes(role)) openTab?.('desk');
}

/** `onLanguage`: the desk redraws itself in the new language. */
export function mountInsights(toast: (text: string, error?: boolean) => void, onLanguage: () => void = () => undefined): void {
  const app = document.getElementById('app');
  const panel = document.getElementById('insights');
  const lang = document.getElementById('ui-lang');
  if (!app || !panel || !lang) throw new Error('kefu console: #app, #insights or #ui-lang is missing from index.html');
  let tab: Tab = 'desk';

  const labels = () => {
    panel.lang = uiLocale() === 'zh' ? 'zh-CN' : 'en';
    for (const [name, key] of Object.entries(TABS)) {
      const b = document.getElementById(`tab-${name}`);
      if (b) b.textContent = tr(key);
    }
    lang.textContent = tr('langToggle');
    lang.lang = uiLocale() === 'zh' ? 'en' : 'zh-CN'; // the button names the other language, in it
    lang.title = tr('langLabel');
    document.getElementById('tabs')?.setAttribute('aria-label', tr('tabsLabel'));
  };

  const open = (next: Tab) => {
    tab = next;
    app.dataset.tab = next;
    panel.hidden = next === 'desk';
    for (const name of Object.keys(TABS)) {
      const b = document.getElementById(`tab-${name}`);
      b?.setAttribute('aria-selected', String(name === next));
      b?.setAttribute('tabindex', name === next ? '0' : '-1'); // one tab stop; arrow keys move between tabs (keys.ts)
    }
    if (next === 'analytics') void showAnalytics(panel);
    if (next === 'inbox') void showInbox(panel, toast);
    if (next === 'audit') void showAudit(panel);
    if (next === 'staff') void showStaff(panel, toast);
    if (next === 'kb') void showKnowledgeBase(panel, toast);
    if (next === 'canned') void showCanned(panel, toast);
    if (next === 'experiments') void showExperiments(panel, toast);
    if (next === 'qa') void showQa(panel, toast);
    if (next !== 'desk') panel.setAttribute('aria-labelledby', `tab-${next}`);
  };
  openTab = open;

  document.getElementById('tabs')?.addEventListener('click', (e) => {
    const name = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-tab]')?.dataset.tab;
    if (name && name in TABS) open(name as Tab);
  });
  lang.addEventListener('click', () => {
    setUiLocale(uiLocale() === 'en' ? 'zh' : 'en');
    labels();
    onLanguage();
    if (tab !== 'desk') open(tab);
  });
  labels();
  open('desk');
}

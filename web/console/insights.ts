/**
 * The tab bar of the console (Conversations · Analytics · Inbox · Audit log) and the view-language
 * toggle (English / 中文). The desk is main.ts's; the other tabs draw into #insights.
 */
import { showAnalytics } from './analytics-view';
import { showAudit } from './audit-view';
import { showInbox } from './inbox-view';
import { type InsightKey, setUiLocale, tr, uiLocale } from './insights-i18n';

type Tab = 'desk' | 'analytics' | 'inbox' | 'audit';
const TABS: Record<Tab, InsightKey> = { desk: 'tabDesk', analytics: 'tabAnalytics', inbox: 'tabInbox', audit: 'tabAudit' };

export function mountInsights(toast: (text: string, error?: boolean) => void): void {
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
    lang.setAttribute('aria-label', tr('langLabel'));
  };

  const open = (next: Tab) => {
    tab = next;
    app.dataset.tab = next;
    panel.hidden = next === 'desk';
    for (const name of Object.keys(TABS)) document.getElementById(`tab-${name}`)?.setAttribute('aria-selected', String(name === next));
    if (next === 'analytics') void showAnalytics(panel);
    if (next === 'inbox') void showInbox(panel, toast);
    if (next === 'audit') void showAudit(panel);
  };

  document.getElementById('tabs')?.addEventListener('click', (e) => {
    const name = (e.target as HTMLElement).closest<HTMLButtonElement>('button[data-tab]')?.dataset.tab;
    if (name && name in TABS) open(name as Tab);
  });
  lang.addEventListener('click', () => {
    setUiLocale(uiLocale() === 'en' ? 'zh' : 'en');
    labels();
    if (tab !== 'desk') open(tab);
  });
  labels();
  open('desk');
}

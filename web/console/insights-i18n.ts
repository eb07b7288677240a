/**
 * Texts of the analytics, inbox and audit views (and the tab bar) in English and Chinese. The view
 * language follows the browser (zh* → zh) until the agent flips the toggle; it is remembered.
 */
export type UiLocale = 'en' | 'zh';

export const INSIGHT_TEXTS = {
  en: {
    tabDesk: 'Conversations',
    tabAnalytics: 'Analytics',
    tabInbox: 'Inbox',
    tabAudit: 'Audit log',
    langToggle: '中文',
    langLabel: 'Switch the view language',
    from: 'From',
    to: 'To',
    last7: 'Last 7 days',
    last30: 'Last 30 days',
    refresh: 'Refresh',
    allChannels: 'All channels',
    allLanguages: 'All languages',
    loading: 'Loading…',
    conversations: 'Conversations',
    turns: 'messages',
    automationRate: 'Automation rate',
    escalationRate: 'Escalation rate',
    fallbackRate: 'Fallback rate',
    escalations: 'Escalations',
    escalationsLower: 'escalations',
    avgWait: 'Average wait',
    p90Wait: 'Wait (p90)',
    firstResponse: 'First response',
    handleTime: 'Handle time',
    csat: 'CSAT',
    ratings: 'ratings',
    rating: 'rating',
    daily: 'Conversations and escalations per day',
    reasons: 'Escalation reasons',
    csatChart: 'CSAT ratings (1–5)',
    topIntents: 'Top intents',
    byChannel: 'By channel',
    byLanguage: 'By language',
    tiersTitle: 'Who served the conversations: bot → agent → expert',
    tierSlice: 'Slice',
    tierBot: 'Contained by the bot',
    tierAgents: 'Resolved by agents',
    tierExperts: 'Resolved by experts',
    tierReference: 'Reference (brief: 120,000 a day)',
    tierMeasured: 'Measured, all',
    intent: 'Intent',
    count: 'Count',
    channel: 'Channel',
    language: 'Language',
    none: '—',
    noData: 'No data for this range.',
    reason_requested: 'Asked for a person',
    reason_misunderstood: 'Not understood',
    reason_sentiment: 'Upset customer',
    reason_rule: 'Business rule',
    reason_dialog: 'Dialog',
    inboxTitle: 'Unrecognised messages',
    inboxHint: 'Assign an intent to teach the bot, or dismiss. Then run npx kefu learn --export and kefu train.',
    status_open: 'Open',
    status_labelled: 'Labelled',
    status_dismissed: 'Dismissed',
    status_exported: 'Exported',
    times: '×',
    guesses: 'Best guesses',
    intentPlaceholder: 'intent, e.g. order.status',
    label: 'Label',
    dismiss: 'Dismiss',
    labelledAs: 'Labelled as',
    by: 'by',
    inboxEmpty: 'Nothing here.',
    labelled: 'Labelled',
    dismissed: 'Dismissed',
    auditTitle: 'Audit log',
    auditHint: 'Every staff action, in a SHA-256 hash chain: an edited, deleted or reordered entry breaks it.',
    verify: 'Verify chain',
    verifyOk: 'Chain intact: {n} entries, last #{seq} {hash}',
    verifyEmpty: 'Chain intact: no entries yet.',
    verifyBroken: 'Broken at entry #{seq} ({problem}): {message}',
    dailyOk: 'Daily automatic audit: {date} verified ({n} entries)',
    dailyBroken: 'Daily automatic audit: {date} FAILED: {message}',
    dailyNone: 'Daily automatic audit: no day verified yet',
    seq: '#',
    time: 'Time',
    actor: 'Agent',
    action: 'Action',
    target: 'Target',
    detail: 'Detail',
    older: 'Older entries',
    auditEmpty: 'No entries.',
    tabStaff: 'Staff',
    tabKb: 'Knowledge base',
    tabExperiments: 'Experiments',
    tabQa: 'Quality',
    tabCanned: 'Canned responses',
    tabsLabel: 'Views',
    staffTitle: 'Staff accounts',
    staffHint: 'Agents work their own conversations; supervisors see all, reassign and read reports; admins also manage staff. Passwords: 12 characters or more.',
    staffId: 'Id',
    staffName: 'Name',
    staffRole: 'Role',
    staffState: 'State',
    staffSource: 'From',
    role_agent: 'Agent',
    role_supervisor: 'Supervisor',
    role_admin: 'Admin',
    source_config: 'config',
    source_console: 'console',
    enabled: 'Active',
    disabledState: 'Disabled',
    disable: 'Disable',
    enable: 'Enable',
    newPassword: 'New password',
    resetPassword: 'Reset password',
    createTitle: 'New account',
    languages: 'Languages',
    skills: 'Skills (comma-separated)',
    capacity: 'Capacity',
    password: 'Password',
    create: 'Create',
    created: 'Account {id} created',
    disabledDone: 'Account {id} disabled; their sessions ended',
    enabledDone: 'Account {id} enabled',
    passwordDone: 'Password of {id} reset; their sessions ended',
  },
  zh: {
    tabDesk: '对话',
    tabAnalytics: '数据分析',
    tabInbox: '未识别消息',
    tabAudit: '审计日志',
    langToggle: 'English',
    langLabel: '切换界面语言',
    from: '开始',
    to: '结束',
    last7: '最近7天',
    last30: '最近30天',
    refresh: '刷新',
    allChannels: '全部渠道',
    allLanguages: '全部语言',
    loading: '加载中…',
    conversations: '会话数',
    turns: '条消息',
    automationRate: '自动化率',
    escalationRate: '转人工率',
    fallbackRate: '兜底回复率',
    escalations: '转人工次数',
    escalationsLower: '次转人工',
    avgWait: '平均等待',
    p90Wait: '等待时长 (P90)',
    firstResponse: '首次响应',
    handleTime: '处理时长',
    csat: '满意度',
    ratings: '条评价',
    rating: '条评价',
    daily: '每日会话与转人工',
    reasons: '转人工原因',
    csatChart: '满意度评分分布 (1–5)',
    topIntents: '热门意图',
    byChannel: '按渠道',
    byLanguage: '按语言',
    tiersTitle: '会话由谁解决：机器人 → 客服 → 专家',
    tierSlice: '范围',
    tierBot: '机器人独立解决',
    tierAgents: '客服解决',
    tierExperts: '专家解决',
    tierReference: '参考（需求：每天 12 万次咨询）',
    tierMeasured: '实测，全部',
    intent: '意图',
    count: '次数',
    channel: '渠道',
    language: '语言',
    none: '—',
    noData: '该时间段没有数据。',
    reason_requested: '用户要求人工',
    reason_misunderstood: '机器人未理解',
    reason_sentiment: '用户情绪不满',
    reason_rule: '业务规则',
    reason_dialog: '对话流程',
    inboxTitle: '未识别消息',
    inboxHint: '为消息指定意图来训练机器人，或忽略。之后运行 npx kefu learn --export 和 kefu train。',
    status_open: '待处理',
    status_labelled: '已标注',
    status_dismissed: '已忽略',
    status_exported: '已导出',
    times: '次',
    guesses: '候选意图',
    intentPlaceholder: '意图，例如 order.status',
    label: '标注',
    dismiss: '忽略',
    labelledAs: '已标注为',
    by: '操作人',
    inboxEmpty: '暂无消息。',
    labelled: '已标注',
    dismissed: '已忽略',
    auditTitle: '审计日志',
    auditHint: '记录所有客服操作，采用 SHA-256 哈希链：任何条目被修改、删除或调换顺序都会被发现。',
    verify: '校验哈希链',
    verifyOk: '哈希链完整：共 {n} 条，最新 #{seq} {hash}',
    verifyEmpty: '哈希链完整：暂无记录。',
    verifyBroken: '第 #{seq} 条校验失败（{problem}）：{message}',
    dailyOk: '每日自动审计：{date} 已校验（{n} 条）',
    dailyBroken: '每日自动审计：{date} 校验失败：{message}',
    dailyNone: '每日自动审计：尚无已校验的日期',
    seq: '#',
    time: '时间',
    actor: '客服',
    action: '操作',
    target: '对象',
    detail: '详情',
    older: '更早的记录',
    auditEmpty: '暂无记录。',
    tabStaff: '人员管理',
    tabKb: '知识库',
    tabExperiments: 'A/B 实验',
    tabQa: '质检',
    tabCanned: '快捷回复',
    tabsLabel: '视图',
    staffTitle: '客服账号',
    staffHint: '客服只处理自己的会话；主管可查看全部、重新分配并查看报表；管理员还可管理账号。密码至少 12 个字符。',
    staffId: '账号',
    staffName: '姓名',
    staffRole: '角色',
    staffState: '状态',
    staffSource: '来源',
    role_agent: '客服',
    role_supervisor: '主管',
    role_admin: '管理员',
    source_config: '配置',
    source_console: '控制台',
    enabled: '启用中',
    disabledState: '已停用',
    disable: '停用',
    enable: '启用',
    newPassword: '新密码',
    resetPassword: '重置密码',
    createTitle: '新建账号',
    languages: '语言',
    skills: '技能（逗号分隔）',
    capacity: '同时接待数',
    password: '密码',
    create: '创建',
    created: '账号 {id} 已创建',
    disabledDone: '账号 {id} 已停用，其登录已失效',
    enabledDone: '账号 {id} 已启用',
    passwordDone: '{id} 的密码已重置，其登录已失效',
  },
} as const;

export type InsightKey = keyof (typeof INSIGHT_TEXTS)['en'];

const STORAGE_KEY = 'kefu.console.lang';
let current: UiLocale = initialLocale();

function initialLocale(): UiLocale {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'en' || saved === 'zh') return saved;
  } catch {
    /* storage blocked: follow the browser */
  }
  return /^zh\b/i.test(navigator.language) ? 'zh' : 'en';
}

export function uiLocale(): UiLocale {
  return current;
}

export function setUiLocale(locale: UiLocale): void {
  current = locale;
  try {
    localStorage.setItem(STORAGE_KEY, locale);
  } catch {
    /* not remembered; fine */
  }
}

/** The text `key` in the current view language, with `{name}` placeholders filled. */
export function tr(key: InsightKey, vars: Record<string, string | number> = {}): string {
  return INSIGHT_TEXTS[current][key].replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

/** 90 s → "1 min 30 s" / "1分30秒". */
export function duration(ms: number | undefined): string {
  if (ms === undefined) return tr('none');
  const s = Math.round(ms / 1000);
  const [h, m, sec] = [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60];
  const zh = current === 'zh';
  const parts = zh ? [h && `${h}小时`, m && `${m}分`, (sec || (!h && !m)) && `${sec}秒`] : [h && `${h} h`, m && `${m} min`, (sec || (!h && !m)) && `${sec} s`];
  return parts.filter(Boolean).join(zh ? '' : ' ');
}

export function percent(rate: number | undefined): string {
  return rate === undefined ? tr('none') : `${(rate * 100).toLocaleString(current === 'zh' ? 'zh-CN' : 'en-US', { maximumFractionDigits: 1 })}%`;
}

export function number(n: number): string {
  return n.toLocaleString(current === 'zh' ? 'zh-CN' : 'en-US');
}

/**
 * Fuzz requests for kefu's own HTTP surface: health, the web chat API and its event stream, the
 * console API (logged in or not), its WebSocket upgrade, analytics, audit and the static pages.
 */
import { randomBytes } from 'node:crypto';
import type { FuzzRequest } from './fuzz-http';
import { malformedJson, mutate, ODD_STRINGS, oddValue, type Rng } from './fuzz-random';
import { bearer, type CaseMaker, encode, type FuzzContext, type Header, jsonRequest, query } from './fuzz-spoil';

const conversationId = (rng: Rng, ctx: FuzzContext) => (rng.chance(0.5) ? ctx.conversation.id : rng.chance(0.8) ? `fz${rng.int(1_000_000)}` : String(oddValue(rng)));

/** The conversation's own token most of the time; otherwise none, a wrong one or an odd header. */
function customerAuth(rng: Rng, ctx: FuzzContext): Header[] {
  return rng.pick<Header[]>([
    [bearer(ctx.conversation.token)],
    [bearer(ctx.conversation.token)],
    [],
    [bearer(randomBytes(16).toString('base64url'))],
    [['Authorization', rng.pick(['Bearer', 'Bearer ', 'Basic Zm9vOmJhcg==', `Bearer ${rng.pick(ODD_STRINGS).slice(0, 100)}`])]],
  ]);
}

/** The logged-in agent's token (as cookie or bearer) most of the time. */
function staffAuth(rng: Rng, ctx: FuzzContext): Header[] {
  return rng.pick<Header[]>([
    [bearer(ctx.consoleToken)],
    [['Cookie', `kefu_console=${encodeURIComponent(ctx.consoleToken)}`]],
    [['Cookie', `kefu_console=${encodeURIComponent(ctx.consoleToken)}`]],
    [],
    [bearer(`anna.${Date.now() + 1e6}.forged`)],
  ]);
}

const body = (rng: Rng, base: Record<string, unknown>) => (rng.chance(0.2) ? malformedJson(rng) : rng.chance(0.1) ? oddValue(rng) : mutate(rng, base));

const health: CaseMaker = (rng) => ({ label: 'GET /healthz', method: 'GET', target: `/healthz${query(rng, { x: '1' })}`, headers: [] });

const postMessage: CaseMaker = (rng, ctx) => {
  const base = { conversationId: conversationId(rng, ctx), text: rng.pick([...ODD_STRINGS, 'hello', 'human', 'order 123456']), messageId: `m${rng.int(1e9)}` };
  if (rng.chance(0.2)) Object.assign(base, { payload: String(oddValue(rng)), locale: rng.pick(['en', 'zh', 'xx']), userId: rng.pick(ODD_STRINGS).slice(0, 200) });
  return jsonRequest('POST /api/web/messages', 'POST', '/api/web/messages', body(rng, base), customerAuth(rng, ctx));
};

const history: CaseMaker = (rng, ctx) => ({
  label: 'GET /api/web/messages',
  method: 'GET',
  target: `/api/web/messages${query(rng, { conversationId: conversationId(rng, ctx), after: String(rng.int(5)), limit: String(rng.pick([1, 50, 0, 100_000])) })}`,
  headers: customerAuth(rng, ctx),
});

const ticket: CaseMaker = (rng, ctx) =>
  jsonRequest('POST /api/web/events/ticket', 'POST', '/api/web/events/ticket', body(rng, { conversationId: conversationId(rng, ctx) }), customerAuth(rng, ctx));

const events: CaseMaker = (rng, ctx) => {
  const valid = rng.chance(0.4);
  const id = valid ? ctx.conversation.id : conversationId(rng, ctx);
  const t = valid ? ctx.conversation.ticket : rng.pick([ctx.conversation.ticket, `${Date.now() + 60_000}.forged`, rng.pick(ODD_STRINGS).slice(0, 100)]);
  return { label: 'GET /api/web/events', method: 'GET', target: `/api/web/events${query(rng, { conversationId: id, ticket: t })}`, headers: [['Accept', 'text/event-stream']] };
};

const login: CaseMaker = (rng) =>
  jsonRequest(
    'POST /console/api/login',
    'POST',
    '/console/api/login',
    body(rng, { agentId: rng.pick(['wang', 'nobody', ...ODD_STRINGS]).slice(0, 300), password: rng.pick(['wang-pass-12345', 'wrong', ...ODD_STRINGS]) }),
  );

// Never the fuzzer's own token: logging it out would turn the rest of the run into 401s.
const logout: CaseMaker = (rng) => ({
  label: 'POST /console/api/logout',
  method: 'POST',
  target: '/console/api/logout',
  headers: [['Cookie', rng.pick(['kefu_console=%', 'kefu_console=a.b.c', `kefu_console=wang.${Date.now() + 9e6}.x`])]],
});

const key = (rng: Rng, ctx: FuzzContext) =>
  encode(
    rng.pick([
      `web:${ctx.conversation.id}`,
      `web:${ctx.conversation.id}`,
      'web:fz1',
      'web:nope',
      'telegram:1001',
      `web:${'k'.repeat(rng.pick([99, 101, 5000]))}`,
      ...ODD_STRINGS.map((s) => s.slice(0, 300)),
    ]),
  );
const STAFF_GETS = [
  '/console/api/state',
  '/console/api/queue',
  '/console/api/handoffs',
  '/console/api/tickets',
  '/console/api/metrics',
  '/console/api/inbox',
  '/console/api/audit',
  '/console/api/audit/verify',
  '/console/api/analytics',
  '/api/analytics',
];
const STAFF_POSTS = ['claim', 'resolve', 'reply', 'note', 'transfer'];

const staffGet: CaseMaker = (rng, ctx) => {
  const path = rng.chance(0.7) ? rng.pick(STAFF_GETS) : rng.pick([`/console/api/conversations/${key(rng, ctx)}`, `/console/api/tickets/${key(rng, ctx)}`]);
  const params = {
    after: String(oddValue(rng)),
    limit: String(rng.pick([1, 10, 0, -1, 1e9])),
    before: String(rng.int(100)),
    state: rng.pick(['queued', 'x']),
    status: 'open',
    from: '2024-01-01',
    to: rng.pick(['2024-01-31', '2019-01-01', '2024-13-45']),
    channel: 'web',
    locale: 'en',
  };
  return { label: `GET ${path.replace(/\/(conversations|tickets)\/.*$/, '/$1/:key')}`, method: 'GET', target: `${path}${query(rng, params)}`, headers: staffAuth(rng, ctx) };
};

const staffPost: CaseMaker = (rng, ctx) => {
  const which = rng.int(4);
  const [path, base]: [string, Record<string, unknown>] =
    which === 0
      ? [`/console/api/conversations/${key(rng, ctx)}/${rng.pick(STAFF_POSTS)}`, { text: rng.pick(ODD_STRINGS), agentId: 'wang', skill: 'billing' }]
      : which === 1
        ? ['/console/api/status', { status: rng.pick(['online', 'away', 'offline', 'gone']) }]
        : which === 2
          ? [`/console/api/tickets/${key(rng, ctx)}${rng.pick(['', '/answer'])}`, { status: 'open', assigneeId: 'wang', priority: rng.int(12), note: 'n', text: 't' }]
          : [`/console/api/inbox/${key(rng, ctx)}/${rng.pick(['label', 'dismiss'])}`, { intent: rng.pick(['order.status', '__proto__', 'x y']) }];
  return jsonRequest(`POST ${path.split('/').slice(0, 4).join('/')}/…`, 'POST', path, body(rng, base), staffAuth(rng, ctx));
};

const WS_KEY = 'dGhlIHNhbXBsZSBub25jZQ==';
const upgrade: CaseMaker = (rng, ctx) => {
  const headers: Header[] = [
    ['Connection', rng.pick(['Upgrade', 'upgrade, keep-alive', 'close'])],
    ['Upgrade', rng.pick(['websocket', 'WebSocket', 'h2c', ''])],
    ['Sec-WebSocket-Version', rng.pick(['13', '8', 'x'])],
    ['Sec-WebSocket-Key', rng.pick([WS_KEY, 'short', ''])],
    ...(rng.chance(0.6) ? staffAuth(rng, ctx) : [['Cookie', rng.pick(['kefu_console=%', 'kefu_console=%zz', 'a=b'])] as Header]),
  ];
  if (rng.chance(0.3)) headers.push(['Origin', rng.pick(['http://evil.example', 'null'])]);
  const target = rng.pick(['/console/ws', '/console/ws', '/console/ws?x=1', '/ws', '/api/web/events', 'http://[', '/console/ws%']);
  // After a successful handshake: a text frame, a ping, a frame claiming 2^63 bytes, or garbage.
  const afterUpgrade = rng.pick([
    Buffer.from([0x81, 0x85, 1, 2, 3, 4, 0x69, 0x67, 0x6f, 0x68, 0x6e]),
    Buffer.from([0x89, 0x80, 0, 0, 0, 0]),
    Buffer.from([0x82, 0xff, 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
    randomBytes(64),
  ]);
  return { label: `GET ${target} (upgrade)`, method: 'GET', target, headers, afterUpgrade };
};

const STATIC = [
  '/',
  '/chat/main.js',
  '/chat/style.css',
  '/console',
  '/console/',
  '/console/main.js',
  '/console/style.css',
  '/favicon.ico',
  '/chat/',
  '/chat/../package.json',
  '/%2e%2e/%2e%2e/etc/passwd',
  '/api',
  '/console/api',
  '/webhooks',
  '/nope',
];
const page: CaseMaker = (rng) => ({
  label: 'GET static page',
  method: rng.pick(['GET', 'GET', 'HEAD', 'POST']),
  target: `${rng.pick(STATIC)}${rng.chance(0.3) ? query(rng, { v: '1' }) : ''}`,
  headers: [],
});

export const WEB_CASES: ReadonlyArray<readonly [number, CaseMaker]> = [
  [1, health],
  [6, postMessage],
  [2, history],
  [2, ticket],
  [2, events],
  [2, login],
  [1, logout],
  [4, staffGet],
  [4, staffPost],
  [3, upgrade],
  [2, page],
];

export type { FuzzRequest };

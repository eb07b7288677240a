/**
 * Building blocks of fuzz requests (JSON bodies, query strings with odd values) and `spoil()`, which
 * breaks a request at the HTTP level: wrong content type, a body or header over the limits, a URL
 * past the framework's limits, odd methods, bad cookies, broken percent-encoding, malformed framing.
 */
import type { FuzzRequest } from './fuzz-http';
import { ODD_STRINGS, type Rng } from './fuzz-random';

export type Header = readonly [string, string];

/** The parts of the running target a request may need (valid credentials, a live conversation). */
export interface FuzzContext {
  consoleToken: string;
  conversation: { id: string; token: string; ticket: string };
  wechatAppId: string;
}

export type CaseMaker = (rng: Rng, ctx: FuzzContext) => FuzzRequest;

export function jsonRequest(label: string, method: string, target: string, body: unknown, headers: readonly Header[] = []): FuzzRequest {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return { label, method, target, headers: [['Content-Type', 'application/json'], ...headers], body: Buffer.from(text ?? 'null', 'utf8') };
}

/** encodeURIComponent, except that lone surrogates become the invalid UTF-8 they would be on the wire. */
export function encode(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return value.replace(/[\uD800-\uDFFF]/g, '%ED%A0%80').replace(/[^%\w.~-]/g, (c) => (c.charCodeAt(0) < 128 ? `%${c.charCodeAt(0).toString(16).padStart(2, '0')}` : c));
  }
}

/** A query string from `params`, with odd values, duplicates, array and object syntax mixed in. */
export function query(rng: Rng, params: Record<string, string | undefined>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || rng.chance(0.1)) continue;
    const value = rng.chance(0.2) ? rng.pick(ODD_STRINGS).slice(0, 200) : v;
    parts.push(`${k}=${encode(value)}`);
    if (rng.chance(0.1)) parts.push(`${k}=${encode(rng.pick(ODD_STRINGS).slice(0, 20))}`); // duplicate parameter
    if (rng.chance(0.05)) parts.push(`${k}[]=1&${k}[]=2`);
  }
  if (rng.chance(0.1)) parts.push(rng.pick(['__proto__[polluted]=1', 'constructor[prototype][polluted]=1', '%=%', 'a=%zz', '=', '&&', 'x=%ED%A0%80']));
  return parts.length ? `?${parts.join('&')}` : '';
}

export function bearer(token: string): Header {
  return ['Authorization', `Bearer ${token}`];
}

export function pickOne<T>(rng: Rng, weighted: ReadonlyArray<readonly [number, T]>): T {
  const total = weighted.reduce((s, [w]) => s + w, 0);
  let x = rng.next() * total;
  for (const [w, item] of weighted) {
    x -= w;
    if (x < 0) return item;
  }
  return (weighted.at(-1) as readonly [number, T])[1];
}

const ODD_COOKIES = [
  'kefu_console=%',
  'kefu_console=%zz; kefu_console=x',
  'kefu_console=a.b.c',
  `kefu_console=${'x'.repeat(4000)}`,
  'kefu_console',
  ';;;=;',
  'kefu_console="quoted"',
  '__proto__=1; constructor=2',
  'kefu_console=\u00ff\u00fe',
];

/** Breaks the request at the HTTP level (one way per call). */
export function spoil(rng: Rng, req: FuzzRequest): FuzzRequest {
  const body = req.body ?? Buffer.alloc(0);
  const ways: Array<() => FuzzRequest> = [
    () => ({
      ...req,
      label: `${req.label} + wrong content type`,
      headers: [
        ...withoutContentType(req),
        [
          'Content-Type',
          rng.pick(['text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', 'application/x-www-form-urlencoded', '*/*', ';;']),
        ],
      ],
    }),
    () => ({ ...req, label: `${req.label} + body over the limit`, body: Buffer.alloc(rng.pick([1024 * 1024 + 10, 2 * 1024 * 1024 + 10, 3 * 1024 * 1024]), 0x61) }),
    () => ({ ...req, label: `${req.label} + header over the limit`, headers: [...req.headers, ['X-Fuzz', 'h'.repeat(rng.pick([17_000, 70_000]))]] }),
    () => ({ ...req, label: `${req.label} + URL over the limit`, target: `${req.target}${req.target.includes('?') ? '&' : '?'}q=${'u'.repeat(rng.pick([9000, 20_000, 80_000]))}` }),
    () => ({ ...req, label: `${req.label} + odd method`, method: rng.pick(['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'TRACE', 'PROPFIND', 'get', 'G\u00c9T']) }),
    () => ({ ...req, label: `${req.label} + odd cookie`, headers: [...req.headers, ['Cookie', rng.pick(ODD_COOKIES)]] }),
    () => ({ ...req, label: `${req.label} + bad percent-encoding`, target: `${req.target}${rng.pick(['%', '%zz', '/%E0%A4%A', '/%ED%A0%80', '%00', '/..%2f..%2f', '/%2e%2e/'])}` }),
    () => ({
      ...req,
      label: `${req.label} + odd request target`,
      target: rng.pick(['http://[', '*', '//', `${req.target}#frag`, `http://evil.example${req.target}`, '/\u00e9\u4e2d', `${req.target}\u0000`]),
    }),
    () => ({
      ...req,
      label: `${req.label} + invalid header`,
      headers: [
        ...req.headers,
        rng.pick<Header>([
          ['Bad Name', 'x'],
          ['X-Ctl', 'a\u0001b'],
          ['', 'empty'],
          ['X-Long-Name'.repeat(100), 'v'],
        ]),
      ],
    }),
    () => ({ ...req, label: `${req.label} + duplicate headers`, headers: [...req.headers, ...req.headers, ['Content-Type', 'application/json']] }),
    () => ({
      ...req,
      label: `${req.label} + broken chunked body`,
      noContentLength: true,
      headers: [...req.headers, ['Transfer-Encoding', 'chunked']],
      body: Buffer.from(`zz\r\n${body.toString('latin1')}\r\n0\r\n\r\n`, 'latin1'),
    }),
    () => ({ ...req, label: `${req.label} + Content-Length and chunked`, headers: [...req.headers, ['Transfer-Encoding', 'chunked']] }),
    () => ({
      ...req,
      label: `${req.label} + invalid UTF-8 body`,
      body: Buffer.concat([body.subarray(0, body.length >> 1), Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80]), body.subarray(body.length >> 1)]),
    }),
    () => ({ ...req, label: `${req.label} + no Host`, headers: [...req.headers, ['Host', '']] }),
  ];
  return rng.pick(ways)();
}

function withoutContentType(req: FuzzRequest): Header[] {
  return req.headers.filter(([n]) => n.toLowerCase() !== 'content-type');
}

/** Console API helpers for the e2e tests: log in as a staff member, call with the cookie (and the page's Origin) or a Bearer token. */
import WebSocket from 'ws';

export interface Staff {
  id: string;
  token: string;
  /** `kefu_console=…`, as the browser sends it. */
  cookie: string;
  /** The whole Set-Cookie of the login answer. */
  setCookie: string;
}

export const PASSWORDS: Record<string, string> = { anna: 'anna-pass-12345', wang: 'wang-pass-12345', lilei: 'lilei-pass-12345' };

export async function login(url: string, id: string, password = PASSWORDS[id] ?? '', headers: Record<string, string> = {}): Promise<Staff> {
  const res = await fetch(`${url}/console/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ agentId: id, password }),
  });
  const json = (await res.json()) as { token?: string; error?: { code: string } };
  if (res.status !== 200 || !json.token) throw new Error(`login of ${id} failed: ${res.status} ${JSON.stringify(json)}`);
  const setCookie = res.headers.get('set-cookie') ?? '';
  return { id, token: json.token, cookie: setCookie.split(';')[0] ?? '', setCookie };
}

export interface Answer<T = Record<string, unknown>> {
  status: number;
  json: T & { error?: { code: string; message: string } };
}

/** A call as the console page makes it: the session cookie and the page's own Origin. */
export async function asPage<T = Record<string, unknown>>(
  url: string,
  who: Staff,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
  headers: Record<string, string> = { origin: url },
): Promise<Answer<T>> {
  return call<T>(url, method, path, body, { cookie: who.cookie, ...headers });
}

/** A call as a script makes it: `Authorization: Bearer`, no Origin. */
export async function asScript<T = Record<string, unknown>>(url: string, who: Staff, method: 'GET' | 'POST', path: string, body?: unknown): Promise<Answer<T>> {
  return call<T>(url, method, path, body, { authorization: `Bearer ${who.token}` });
}

export async function call<T>(url: string, method: 'GET' | 'POST', path: string, body: unknown, headers: Record<string, string>): Promise<Answer<T>> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json().catch(() => ({}))) as Answer<T>['json'] };
}

export const conv = (key: string, action = '') => `/console/api/conversations/${encodeURIComponent(key)}${action ? `/${action}` : ''}`;

/** Opens the console socket; resolves to its status (101 when open) and, when open, the socket. */
export function openSocket(url: string, headers: Record<string, string>): Promise<{ status: number; ws?: WebSocket; body?: string }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${url.replace('http', 'ws')}/console/ws`, { headers });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (d: Buffer) => {
        body += d.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    ws.on('open', () => resolve({ status: 101, ws }));
    ws.on('error', () => resolve({ status: 0 }));
  });
}

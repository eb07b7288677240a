/**
 * A small keep-alive JSON client on node:http, one Agent per target, so the load generator spends
 * as little CPU as possible per request and reuses its connections.
 */
import { Agent, request } from 'node:http';

export interface HttpResult {
  status: number;
  body: string;
}

export interface JsonClient {
  readonly port: number;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<HttpResult>;
  get(path: string, headers?: Record<string, string>): Promise<HttpResult>;
  close(): void;
}

export function createJsonClient(port: number, maxSockets = 64): JsonClient {
  const agent = new Agent({ keepAlive: true, maxSockets, keepAliveMsecs: 10_000 });
  const send = (method: string, path: string, payload: string | undefined, headers: Record<string, string>) =>
    new Promise<HttpResult>((done, fail) => {
      const req = request({ host: '127.0.0.1', port, method, path, agent, headers: payload === undefined ? headers : { ...jsonHeaders(payload), ...headers } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', fail);
      });
      req.on('error', fail);
      req.end(payload);
    });
  // Web chat conversations answer only with their token after the first message, as a page keeps it.
  const tokens = new Map<string, string>();
  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const conversationId = path === WEB_MESSAGES ? (body as { conversationId?: string }).conversationId : undefined;
    const token = conversationId === undefined ? undefined : tokens.get(conversationId);
    const result = await send('POST', path, JSON.stringify(body), token ? { ...headers, authorization: `Bearer ${token}` } : headers);
    if (conversationId !== undefined && !token && result.body.includes('"conversationToken"')) {
      const given = (JSON.parse(result.body) as { conversationToken?: unknown }).conversationToken;
      if (typeof given === 'string') tokens.set(conversationId, given);
    }
    return result;
  };
  return {
    port,
    post,
    get: (path, headers = {}) => send('GET', path, undefined, headers),
    close: () => agent.destroy(),
  };
}

const WEB_MESSAGES = '/api/web/messages';

function jsonHeaders(payload: string): Record<string, string> {
  return { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) };
}

/** GET without keep-alive, for health polls while a server starts. */
export function getOnce(port: number, path: string, timeoutMs = 2000): Promise<HttpResult> {
  return new Promise((done, fail) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', agent: false, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path} timed out after ${timeoutMs} ms`)));
    req.on('error', fail);
    req.end();
  });
}

/**
 * The fuzz test's HTTP client: writes a request byte for byte over a TCP socket (fetch would refuse
 * or repair most of what the fuzzer sends: bad request lines, percent-encoding, lone surrogates,
 * duplicate or oversize headers) and reads back what the server answered before it closed.
 */
import { connect } from 'node:net';

export interface FuzzRequest {
  /** What the request exercises, for the report ("POST /api/web/messages: malformed JSON"). */
  label: string;
  method: string;
  /** The request target exactly as written on the request line. */
  target: string;
  headers: ReadonlyArray<readonly [string, string]>;
  body?: Buffer;
  /** Leaves out Content-Length (the request sets its own, or sends none on purpose). */
  noContentLength?: boolean;
  /** Bytes written after a 101 Switching Protocols (WebSocket frames, valid or not). */
  afterUpgrade?: Buffer;
}

export interface FuzzResponse {
  /** 0: the server closed or reset the connection without an answer. */
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** The server answered a stream (event stream, WebSocket) that the client cut after its head. */
  streamed: boolean;
  /** No answer and no close within the timeout. */
  timedOut: boolean;
}

const HEAD_END = Buffer.from('\r\n\r\n');

export function serialize(req: FuzzRequest, host: string): Buffer {
  // A request that sets its own Host (or a blank one) keeps it: that is what it tests.
  const ownHost = req.headers.some(([n]) => n.toLowerCase() === 'host');
  const lines = [`${req.method} ${req.target} HTTP/1.1`, ...(ownHost ? [] : [`Host: ${host}`]), ...req.headers.map(([n, v]) => `${n}: ${v}`)];
  if (req.body && !req.noContentLength) lines.push(`Content-Length: ${req.body.length}`);
  lines.push('Connection: close', '', '');
  return Buffer.concat([Buffer.from(lines.join('\r\n'), 'utf8'), req.body ?? Buffer.alloc(0)]);
}

/** Sends one request on a fresh connection and collects the answer. */
export function send(baseUrl: string, req: FuzzRequest, timeoutMs = 10_000): Promise<FuzzResponse> {
  const { hostname, port, host } = new URL(baseUrl);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let done = false;
    const socket = connect(Number(port), hostname);
    const finish = (extra: Partial<FuzzResponse> = {}) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ ...parseResponse(Buffer.concat(chunks)), ...extra });
    };
    const timer = setTimeout(() => finish({ timedOut: true }), timeoutMs);
    socket.on('connect', () => socket.write(serialize(req, host)));
    socket.on('data', (d: Buffer) => {
      chunks.push(d);
      const head = parseHead(Buffer.concat(chunks));
      if (!head) return;
      if (head.status === 101) {
        if (req.afterUpgrade) socket.write(req.afterUpgrade);
        setTimeout(() => finish({ streamed: true }), 50);
      } else if (head.status < 300 && /event-stream/.test(head.headers['content-type'] ?? '')) finish({ streamed: true });
    });
    // A reset after the answer (the server stops reading an oversize body) still counts the answer.
    socket.on('error', () => finish());
    socket.on('close', () => finish());
  });
}

function parseHead(raw: Buffer): { status: number; headers: Record<string, string>; bodyStart: number } | undefined {
  const end = raw.indexOf(HEAD_END);
  if (end < 0) return undefined;
  const [statusLine = '', ...lines] = raw.subarray(0, end).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status: Number(statusLine.split(' ')[1]) || 0, headers, bodyStart: end + HEAD_END.length };
}

function parseResponse(raw: Buffer): FuzzResponse {
  const head = parseHead(raw);
  const base = { streamed: false, timedOut: false };
  if (!head) return { status: 0, headers: {}, body: Buffer.alloc(0), ...base };
  const rest = raw.subarray(head.bodyStart);
  const body = head.headers['transfer-encoding'] === 'chunked' ? dechunk(rest) : rest.subarray(0, Number(head.headers['content-length'] ?? rest.length));
  return { status: head.status, headers: head.headers, body, ...base };
}

function dechunk(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  while (at < raw.length) {
    const lineEnd = raw.indexOf('\r\n', at);
    if (lineEnd < 0) break;
    const size = Number.parseInt(raw.subarray(at, lineEnd).toString('latin1'), 16);
    if (!size) break;
    parts.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

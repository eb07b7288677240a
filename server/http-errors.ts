/**
 * Every error answer is `{ "error": { "code": "KEFU_ERR_…", "message": "…" } }`, whoever gives it:
 * a route or hook that throws (the guard: a coded 500 with a generic message, the details only in
 * the log), Fastify's own 404, 400 (bad percent-encoding) and 414 (a path parameter over the limit),
 * and the requests Node's HTTP parser refuses before Fastify sees them (400, 408, 431: the
 * `clientError` event, answered on the raw socket).
 */
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import { type ErrorCode, isKefuError, type Logger } from '../core';
import { SECURITY_HEADERS } from './security-headers';

interface Answer {
  status: number;
  code: ErrorCode;
  message: string;
}

const INTERNAL_MESSAGE = 'Internal error; see the server log.';
const UNAVAILABLE_MESSAGE = 'kefu cannot answer this right now; try again shortly.';

function errorBody(a: Answer) {
  return { error: { code: a.code, message: a.message } };
}

/** Answers thrown errors with their code; anything 5xx is logged and answered without its details. */
export function installErrorHandlers(http: FastifyInstance, log: Logger): void {
  http.setErrorHandler((err: FastifyError, req, reply) => {
    const answer = answerFor(err);
    if (answer.status >= 500) logFailure(log, req, answer.code, err);
    if (reply.sent) return reply;
    return reply.code(answer.status).send(errorBody(answer));
  });
  http.setNotFoundHandler((req, reply) =>
    reply.code(404).send(errorBody({ status: 404, code: 'KEFU_ERR_HTTP_NOT_FOUND', message: `No route answers ${req.method} ${pathOf(req.url)}.` })),
  );
}

function answerFor(err: FastifyError): Answer {
  if (isKefuError(err)) {
    if (err.httpStatus < 500) return { status: err.httpStatus, code: err.code, message: err.message };
    return { status: err.httpStatus, code: err.code, message: err.httpStatus === 503 ? UNAVAILABLE_MESSAGE : INTERNAL_MESSAGE };
  }
  const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
  if (status >= 500) return { status: 500, code: 'KEFU_ERR_INTERNAL', message: INTERNAL_MESSAGE };
  if (status === 415) return { status, code: 'KEFU_ERR_HTTP_CONTENT_TYPE', message: 'Send the body as JSON with Content-Type: application/json.' };
  if (status === 413) return { status, code: 'KEFU_ERR_MESSAGE_TOO_LARGE', message: `The body is over the limit: ${err.message}` };
  return { status, code: 'KEFU_ERR_HTTP_BODY_INVALID', message: `Bad request: ${err.message}` };
}

function logFailure(log: Logger, req: FastifyRequest, code: string, err: Error): void {
  // The route pattern, not the URL: a URL can carry ids and tokens.
  log.error({ code, method: req.method, route: req.routeOptions?.url, err: { name: err.name, message: err.message, stack: err.stack } }, 'request failed');
}

/** The path of a request target, without its query, shortened for an error message. */
function pathOf(url: string): string {
  const path = url.split('?')[0] ?? '';
  return path.length > 200 ? `${path.slice(0, 200)}…` : path;
}

/**
 * Fastify options that code the answers Fastify gives before any route: a target whose
 * percent-encoding is broken (400), and a path parameter longer than `maxParamLength` (414).
 */
export function frameworkErrorOptions(log: Logger): Pick<FastifyServerOptions, 'frameworkErrors' | 'clientErrorHandler'> {
  return {
    frameworkErrors: (err: FastifyError, _req: FastifyRequest, reply: FastifyReply) => {
      const answer: Answer =
        err.code === 'FST_ERR_MAX_PARAM_LENGTH'
          ? { status: 414, code: 'KEFU_ERR_HTTP_URL_TOO_LONG', message: 'A path segment of this URL is too long (over 512 characters).' }
          : err.code === 'FST_ERR_BAD_URL'
            ? { status: 400, code: 'KEFU_ERR_HTTP_REQUEST_INVALID', message: 'The URL is not valid: check its percent-encoding.' }
            : { status: 500, code: 'KEFU_ERR_INTERNAL', message: INTERNAL_MESSAGE };
      if (answer.status >= 500) log.error({ code: answer.code, err: { name: err.name, message: err.message } }, 'request failed before routing');
      return reply.code(answer.status).send(errorBody(answer));
    },
    clientErrorHandler: (err: Error & { code?: string }, socket: Duplex) => answerClientError(err, socket),
  };
}

/** Node's parser refused the request (malformed, headers over 16 KiB, too slow): answer on the socket, then close it. */
function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const inFlight = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (!socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  socket.on('error', () => socket.destroy());
  socket.end(rawAnswer(clientErrorAnswer(err.code)));
  setTimeout(() => socket.destroy(), 1000).unref(); // a client still sending gets no more than a second
}

function clientErrorAnswer(code: string | undefined): Answer {
  if (code === 'HPE_HEADER_OVERFLOW')
    return { status: 431, code: 'KEFU_ERR_HTTP_HEADERS_TOO_LARGE', message: 'The request line and headers are over 16 KiB; send shorter headers, cookies or URL.' };
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return { status: 408, code: 'KEFU_ERR_HTTP_TIMEOUT', message: 'The request did not arrive in time.' };
  return { status: 400, code: 'KEFU_ERR_HTTP_REQUEST_INVALID', message: 'The request is not valid HTTP/1.1 (request line, header, or body framing).' };
}

const REASONS: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };

function rawAnswer(a: Answer): string {
  const body = JSON.stringify(errorBody(a));
  const headers = { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), connection: 'close', ...SECURITY_HEADERS };
  const lines = Object.entries(headers).map(([k, v]) => `${k}: ${v}`);
  return `HTTP/1.1 ${a.status} ${REASONS[a.status] ?? 'Error'}\r\n${lines.join('\r\n')}\r\n\r\n${body}`;
}

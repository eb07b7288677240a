/**
 * The console's live updates: a WebSocket on `/console/ws` (attached to the HTTP server's upgrade
 * event), open only to logged-in agents. The console is an AgentChannel: every handoff event is
 * pushed to every connected agent as `{ "type": "event", "event": … }`.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Logger } from '../../core';
import type { AgentChannel, HandoffEvent } from '../../core/handoff';
import type { ConsoleAuth } from './console-auth';

export const CONSOLE_WS_PATH = '/console/ws';

export interface ConsoleSocket extends AgentChannel {
  readonly clients: number;
  close(): Promise<void>;
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 404: 'Not Found' };

/** Answers an upgrade request with a coded JSON error and closes the connection. */
function refuse(socket: Duplex, status: number, code: string, message: string): void {
  const body = JSON.stringify({ error: { code, message } });
  socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

export function attachConsoleSocket(server: Server, auth: ConsoleAuth, log: Logger): ConsoleSocket {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const agents = new Map<WebSocket, string>();

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy()); // a peer that resets mid-handshake must not reach the process
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://console.local');
    } catch {
      refuse(socket, 400, 'KEFU_ERR_HTTP_BODY_INVALID', 'The request target is not a valid URL.');
      return;
    }
    // The console's socket is the only WebSocket kefu serves: every other upgrade is answered, and closed.
    if (url.pathname !== CONSOLE_WS_PATH) {
      refuse(socket, 404, 'KEFU_ERR_HTTP_NOT_FOUND', `No WebSocket at ${url.pathname}; the console's is ${CONSOLE_WS_PATH}.`);
      return;
    }
    // The session cookie (or Authorization header) only: a token in a URL ends up in logs and histories.
    const agentId = auth.fromHeaders(req.headers);
    if (!agentId) {
      refuse(socket, 401, 'KEFU_ERR_CONSOLE_AUTH', 'Log in to the console first.');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      agents.set(ws, agentId);
      ws.on('close', () => agents.delete(ws));
      ws.on('error', () => agents.delete(ws));
      ws.send(JSON.stringify({ type: 'hello', agentId }));
    });
  };
  server.on('upgrade', onUpgrade);

  return {
    name: 'console',
    get clients() {
      return agents.size;
    },
    async onEvent(event: HandoffEvent) {
      const data = JSON.stringify({ type: 'event', event });
      for (const ws of agents.keys()) if (ws.readyState === ws.OPEN) ws.send(data);
      log.debug({ event: event.type, clients: agents.size }, 'console event');
    },
    async close() {
      server.off('upgrade', onUpgrade);
      for (const ws of agents.keys()) ws.terminate();
      agents.clear();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

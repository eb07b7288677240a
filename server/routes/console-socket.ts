/**
 * The console's live updates: a WebSocket on `/console/ws` (attached to the HTTP server's upgrade
 * event), open only to logged-in staff whose page is the console's own origin (a cookie-carrying
 * upgrade from another site is refused: cross-site WebSocket hijacking). The console is an
 * AgentChannel: every handoff event is pushed as `{ "type": "event", "event": … }` to supervisors
 * and admins; an agent gets the events of the queue, their own conversations and tickets, and only
 * `{ type, key, at }` of the others (so the view refreshes without showing them). Each push checks
 * the session again: after a logout, a disabled account or a password reset the socket is closed.
 *
 * Presence: an open socket is the agent's sign of life. Opening it, each pong to the server's ping
 * (every `pingMs`) and each `{ "type": "ping" }` the page sends are heartbeats; a socket that misses
 * a pong is dropped; when an agent's last socket here closes, the handoff takes them offline after
 * its grace period unless they come back (docs/handoff.md "Presence").
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { Logger } from '../../core';
import type { AgentChannel, HandoffEvent, HandoffService } from '../../plugins/handoff';
import type { StaffMember } from '../staff/roles';
import { rawRequestOrigin, type TrustProxy } from '../trust-proxy';
import { mayReadRecord, mayReadTicket } from './console-access';
import { type ConsoleAuth, tokenFromHeaders } from './console-auth';
import { CSRF_MESSAGE, type OriginPolicy, originAllowed } from './console-origin';

export const CONSOLE_WS_PATH = '/console/ws';

export interface ConsoleSocket extends AgentChannel {
  readonly clients: number;
  close(): Promise<void>;
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' };

/** The event as `me` may see it: whole, or only what changed where (no customer data). */
export function eventFor(me: StaffMember, event: HandoffEvent): object {
  if (event.type === 'agent.status') return event;
  if ('record' in event) {
    const own = mayReadRecord(me, event.record) || (event.type === 'handoff.transferred' && event.fromAgentId === me.id);
    if (own) return event;
  } else if (mayReadTicket(me, event.ticket)) return event;
  return { type: event.type, key: event.key, at: event.at };
}

interface Client {
  token: string;
  member: StaffMember;
}

/** Answers an upgrade request with a coded JSON error and closes the connection. */
function refuse(socket: Duplex, status: number, code: string, message: string): void {
  const body = JSON.stringify({ error: { code, message } });
  socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

export interface ConsoleSocketOptions {
  origins: OriginPolicy;
  trustProxy: TrustProxy | false;
  /** Where the sockets' signs of life go (none: the socket does not track presence). */
  presence?: Pick<HandoffService, 'heartbeat' | 'presenceLost'>;
  /** How often the server pings each socket (default 15 s); a socket that did not answer the last ping is dropped. */
  pingMs?: number;
}

const PING_MS = 15_000;

/** Counts each agent's open sockets and turns them into heartbeats and, when the last one closes, a lost presence. */
function createPresenceTracker(presence: ConsoleSocketOptions['presence'], log: Logger) {
  const open = new Map<string, number>();
  const report = (what: string, p: Promise<{ ok: boolean }> | undefined) =>
    void p?.then((r) => (r.ok ? undefined : log.debug({ what }, 'presence not recorded'))).catch(() => log.warn({ what }, 'presence not recorded'));
  return {
    beat: (agentId: string) => report('heartbeat', presence?.heartbeat(agentId, 'console')),
    opened(agentId: string) {
      open.set(agentId, (open.get(agentId) ?? 0) + 1);
      report('heartbeat', presence?.heartbeat(agentId, 'console'));
    },
    closed(agentId: string) {
      const n = (open.get(agentId) ?? 1) - 1;
      if (n > 0) return void open.set(agentId, n);
      open.delete(agentId);
      report('presenceLost', presence?.presenceLost(agentId));
    },
  };
}

function isPing(data: unknown): boolean {
  try {
    return (JSON.parse(String(data)) as { type?: unknown } | null)?.type === 'ping';
  } catch {
    return false;
  }
}

export function attachConsoleSocket(server: Server, auth: ConsoleAuth, log: Logger, opts: ConsoleSocketOptions = { origins: { allowed: [] }, trustProxy: false }): ConsoleSocket {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  // Unless asked, ws refuses a bad handshake (method, Upgrade, key, version) in plain text: coded like every error.
  wss.on('wsClientError', (err, socket) => refuse(socket, 400, 'KEFU_ERR_HTTP_REQUEST_INVALID', `Invalid WebSocket handshake: ${err.message}.`));
  const agents = new Map<WebSocket, Client>();
  const presence = createPresenceTracker(opts.presence, log);
  const alive = new WeakSet<WebSocket>();
  const pinger = setInterval(() => {
    for (const ws of agents.keys()) {
      if (!alive.has(ws))
        ws.terminate(); // no pong since the last ping: a dead connection
      else {
        alive.delete(ws);
        ws.ping();
      }
    }
  }, opts.pingMs ?? PING_MS);
  pinger.unref();

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
    const found = tokenFromHeaders(req.headers);
    const member = auth.verify(found?.token);
    if (!found || !member) {
      refuse(socket, 401, 'KEFU_ERR_CONSOLE_AUTH', 'Log in to the console first.');
      return;
    }
    if (found.via === 'cookie' && !originAllowed(req.headers, rawRequestOrigin(req, opts.trustProxy).host, opts.origins)) {
      refuse(socket, 403, 'KEFU_ERR_CONSOLE_CSRF', CSRF_MESSAGE);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      agents.set(ws, { token: found.token, member });
      alive.add(ws);
      presence.opened(member.id);
      let gone = false;
      const drop = () => {
        agents.delete(ws);
        if (!gone) presence.closed(member.id);
        gone = true;
      };
      ws.on('close', drop);
      ws.on('error', drop);
      ws.on('pong', () => {
        alive.add(ws);
        presence.beat(member.id);
      });
      ws.on('message', (data) => {
        if (isPing(data)) presence.beat(member.id);
      });
      ws.send(JSON.stringify({ type: 'hello', agentId: member.id, role: member.role }));
    });
  };
  server.on('upgrade', onUpgrade);

  return {
    name: 'console',
    mirrorsRemote: true, // agents connected here see what happens on every instance
    get clients() {
      return agents.size;
    },
    async onEvent(event: HandoffEvent) {
      for (const [ws, client] of agents) {
        const member = auth.verify(client.token);
        if (!member) {
          ws.close(4401, 'session ended'); // logged out, disabled, or the password was reset
          agents.delete(ws);
        } else if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'event', event: eventFor(member, event) }));
      }
      log.debug({ event: event.type, clients: agents.size }, 'console event');
    },
    async close() {
      clearInterval(pinger);
      server.off('upgrade', onUpgrade);
      for (const ws of agents.keys()) ws.terminate();
      agents.clear();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

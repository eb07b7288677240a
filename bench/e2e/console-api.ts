/**
 * What the bench asks kefu's agent console API (logged in as a demo agent with the password it set
 * in CONSOLE_AGENTS): the queue's size, and the handoff counters, to check escalations per cell.
 */
import { BenchError } from './bench-error';
import type { JsonClient } from './http-client';

export interface ConsoleSession {
  queueSize(): Promise<number>;
  /** Counters of the handoff metrics (all-time), and the handoffs of the last 30 days by reason. */
  counters(): Promise<HandoffCounters>;
}

export interface HandoffCounters {
  escalatedConversations: number;
  turns: number;
  conversations: number;
  byReason: Record<string, number>;
}

export async function consoleLogin(client: JsonClient, agentId: string, password: string): Promise<ConsoleSession> {
  const res = await client.post('/console/api/login', { agentId, password });
  if (res.status !== 200) throw new BenchError(`console login as ${agentId} failed: HTTP ${res.status} ${res.body.slice(0, 300)}`);
  const headers = { authorization: `Bearer ${(JSON.parse(res.body) as { token: string }).token}` };
  const getJson = async <T>(path: string): Promise<T> => {
    const r = await client.get(path, headers);
    if (r.status !== 200) throw new BenchError(`GET ${path}: HTTP ${r.status} ${r.body.slice(0, 300)}`);
    return JSON.parse(r.body) as T;
  };
  return {
    queueSize: async () => (await getJson<{ queueSize: number }>('/console/api/state')).queueSize,
    async counters() {
      const { metrics } = await getJson<{ metrics: HandoffCounters }>('/console/api/metrics');
      return { escalatedConversations: metrics.escalatedConversations, turns: metrics.turns, conversations: metrics.conversations, byReason: metrics.byReason ?? {} };
    },
  };
}

/**
 * Agents in stories act through the console API, as the console page does: they log in with
 * their console password (`POST /console/api/login`) and call the conversation actions with the
 * token (`Authorization: Bearer`). One login per agent per run.
 */
import type { AgentStep } from './story';
import type { StoryApp } from './story-app';
import { UnexpectedAnswer } from './web-customer';

/** "anna:secret,wang:secret" (CONSOLE_AGENTS) → { anna: 'secret', wang: 'secret' }. */
export function passwordsFrom(consoleAgents: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (consoleAgents ?? '').split(',')) {
    const i = part.indexOf(':');
    if (i > 0) out[part.slice(0, i).trim()] = part.slice(i + 1).trim();
  }
  return out;
}

function answerText(status: number, body: string): string {
  try {
    const error = (JSON.parse(body) as { error?: { code: string; message: string } }).error;
    if (error) return `HTTP ${status} ${error.code}: ${error.message}`;
  } catch {
    // not JSON: show the start of the body
  }
  return `HTTP ${status} ${body.slice(0, 200)}`;
}

export interface ConsoleAgents {
  /** Does the step's actions in order (status, claim, says, note, resolve); returns what was done, for the transcript. */
  act(step: AgentStep, conversationKey: string, remoteAddress: string): Promise<string[]>;
}

export function createConsoleAgents(app: StoryApp, passwords: Readonly<Record<string, string>>): ConsoleAgents {
  const tokens = new Map<string, string>();

  async function post(path: string, body: Record<string, unknown>, remoteAddress: string, token?: string): Promise<string> {
    const res = await app.http.inject({ method: 'POST', url: path, payload: body, remoteAddress, headers: token ? { authorization: `Bearer ${token}` } : {} });
    if (res.statusCode !== 200) throw new UnexpectedAnswer(`POST ${path} answered ${answerText(res.statusCode, res.body)}`);
    return res.body;
  }

  async function login(agentId: string, remoteAddress: string): Promise<string> {
    const known = tokens.get(agentId);
    if (known) return known;
    const password = passwords[agentId];
    if (!password) throw new UnexpectedAnswer(`no console password for agent "${agentId}": set CONSOLE_AGENTS (e.g. ${agentId}:a-password-of-12+) or pass { passwords }`);
    const token = (JSON.parse(await post('/console/api/login', { agentId, password }, remoteAddress)) as { token: string }).token;
    tokens.set(agentId, token);
    return token;
  }

  return {
    async act(step, conversationKey, remoteAddress) {
      const token = await login(step.as, remoteAddress);
      const conv = (action: string) => `/console/api/conversations/${encodeURIComponent(conversationKey)}/${action}`;
      const done: string[] = [];
      if (step.status) {
        await post('/console/api/status', { status: step.status }, remoteAddress, token);
        done.push(`is ${step.status}`);
      }
      if (step.claim) {
        await post(conv('claim'), {}, remoteAddress, token);
        done.push('claims the conversation');
      }
      if (step.says) {
        await post(conv('reply'), { text: step.says }, remoteAddress, token);
        done.push(`says "${step.says}"`);
      }
      if (step.note) {
        await post(conv('note'), { text: step.note }, remoteAddress, token);
        done.push(`notes "${step.note}"`);
      }
      if (step.resolve) {
        await post(conv('resolve'), {}, remoteAddress, token);
        done.push('resolves');
      }
      return done;
    },
  };
}

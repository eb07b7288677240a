/**
 * Wires the human handoff from config: agents from AGENTS_FILE (or the demo team), thresholds,
 * business hours, presence and offer times, and the console logins from CONSOLE_AGENTS
 * ("anna:secret,wang:secret"); without it, each agent gets a random demo password, written to
 * `DATA_DIR/console-logins.txt` (owner-only) and never printed: the start-up line names the file
 * and the ids. The logins seed the staff accounts (server/staff/wire.ts), which then forget the plaintext.
 * @example
 * const handoff = await wireHandoff(config, log);
 * await engine.register(handoff.plugin, undefined);
 * const staff = await wireStaff(handoff, engine); // hashes handoff.logins, then clears it
 * await http.register(consoleRoutes, { engine, handoff: handoff.service, staff });
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Config, type ConversationRef, KefuError, type Logger, type Plugin } from '../core';
import { type AgentProfile, createHandoff, DEMO_AGENTS, type HandoffService, parseAgentsJson } from '../plugins/handoff';
import { MIN_PASSWORD } from './staff/password';

export interface HandoffWiring {
  service: HandoffService;
  plugin: Plugin<void>;
  agents: readonly AgentProfile[];
  /** Agent id → console password, until the staff accounts are seeded from it (then it is cleared). */
  logins: Map<string, string>;
}

export interface WireHandoffOptions {
  now?: () => number;
  print?: (line: string) => void;
  /** Limits on asking for a person (server/escalation-limits.ts). */
  escalationLimit?: (ref: ConversationRef) => Promise<number>;
  /** The support team given in code (createKefuApp's `agents`); else AGENTS_FILE, else the sample team. */
  agents?: readonly AgentProfile[];
}

export async function wireHandoff(config: Readonly<Config>, log: Logger, opts: WireHandoffOptions = {}): Promise<HandoffWiring> {
  const agents = opts.agents ?? (config.AGENTS_FILE ? await loadAgentsFile(config.AGENTS_FILE) : DEMO_AGENTS);
  const { service, plugin } = createHandoff({
    agents,
    afterFallbacks: config.HANDOFF_AFTER_FALLBACKS,
    angerThreshold: config.HANDOFF_ANGER_THRESHOLD,
    businessHours: config.BUSINESS_HOURS,
    presence: {
      awayAfterMs: config.AGENT_AWAY_AFTER_SECONDS * 1000,
      offlineAfterMs: config.AGENT_OFFLINE_AFTER_SECONDS * 1000,
      disconnectGraceMs: config.AGENT_DISCONNECT_GRACE_SECONDS * 1000,
      offerTimeoutMs: config.HANDOFF_OFFER_TIMEOUT_SECONDS * 1000,
      ticketReopenMs: config.TICKET_REOPEN_DAYS * 86_400_000,
    },
    levels: {
      agent: { firstResponseMs: config.SLA_AGENT_FIRST_RESPONSE_SECONDS * 1000 },
      expert: { firstResponseMs: config.SLA_EXPERT_FIRST_RESPONSE_SECONDS * 1000 },
    },
    logger: log,
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.escalationLimit ? { escalationLimit: opts.escalationLimit } : {}),
  });
  let logins: Map<string, string>;
  if (config.CONSOLE_AGENTS) {
    logins = parseConsoleAgents(config.CONSOLE_AGENTS, agents);
  } else {
    logins = new Map(agents.map((a) => [a.id, randomBytes(8).toString('hex')]));
    const print = opts.print ?? ((line: string) => process.stdout.write(`${line}\n`));
    print(await writeDemoLogins(config.DATA_DIR, agents, logins, log));
  }
  log.info({ agents: agents.length, source: config.AGENTS_FILE ? 'AGENTS_FILE' : 'demo', consoleLogins: logins.size }, 'handoff ready');
  return { service, plugin, agents, logins };
}

/** The demo passwords go to an owner-only file, never to the terminal or the logs; returns the line to print. */
async function writeDemoLogins(dataDir: string, agents: readonly AgentProfile[], logins: Map<string, string>, log: Logger): Promise<string> {
  const role = (id: string) => agents.find((a) => a.id === id)?.role ?? 'agent';
  const ids = [...logins.keys()].map((id) => `${id} (${role(id)})`).join(', ');
  const file = join(dataDir, 'console-logins.txt');
  const text = `# kefu console demo logins, new at every start. Set CONSOLE_AGENTS=id:password,... to choose your own.\n${[...logins].map(([id, pw]) => `${id} ${pw} ${role(id)}`).join('\n')}\n`;
  try {
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, text, { mode: 0o600 });
    await chmod(file, 0o600);
    return `kefu agent console: /console/  demo logins for ${ids} are in ${file} (set CONSOLE_AGENTS to choose passwords)`;
  } catch (err) {
    log.warn({ code: 'KEFU_ERR_CONFIG_INVALID', reason: (err as NodeJS.ErrnoException).code }, 'demo console logins not written; set CONSOLE_AGENTS');
    return `kefu agent console: /console/  could not write ${file}; set CONSOLE_AGENTS=id:password,... for ${ids} to log in`;
  }
}

async function loadAgentsFile(path: string): Promise<AgentProfile[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new KefuError('KEFU_ERR_HANDOFF_AGENTS_INVALID', `Cannot read AGENTS_FILE "${path}" (${(err as Error).message}); point it to a JSON list of agents.`, { cause: err });
  }
  return parseAgentsJson(text, `AGENTS_FILE "${path}"`);
}

export { MIN_PASSWORD } from './staff/password';

/** "anna:secret,wang:secret" → Map; every id must be a known agent and every password ≥ MIN_PASSWORD characters. */
export function parseConsoleAgents(spec: string, agents: readonly AgentProfile[]): Map<string, string> {
  const logins = new Map<string, string>();
  const problems: string[] = [];
  for (const part of spec
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const i = part.indexOf(':');
    const id = i > 0 ? part.slice(0, i) : part;
    const password = i > 0 ? part.slice(i + 1) : '';
    if (!agents.some((a) => a.id === id)) problems.push(`"${id}" is not an agent id (known: ${agents.map((a) => a.id).join(', ')})`);
    else if (password.length < MIN_PASSWORD) problems.push(`the password of "${id}" must have at least ${MIN_PASSWORD} characters`);
    else logins.set(id, password);
  }
  if (problems.length || !logins.size) {
    const lines = problems.length ? problems : ['must list agentId:password pairs separated by commas'];
    throw new KefuError('KEFU_ERR_CONFIG_INVALID', `CONSOLE_AGENTS is invalid: ${lines.join('; ')}.`, { details: lines.map((l) => `CONSOLE_AGENTS: ${l}`) });
  }
  return logins;
}

/** The agents list: parsed with zod from `AGENTS_FILE` JSON, or the built-in demo agents. */
import { z } from 'zod';
import { KefuError } from '../../core/errors';
import { LOCALES } from '../../core/model';
import { AGENT_LEVELS, type AgentProfile, STAFF_ROLES } from './types';

const agentSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, { error: 'must be 1-64 of a-z 0-9 _ - (starting with a letter or digit)' }),
    name: z.string().min(1).max(128),
    skills: z.array(z.string().min(1).max(64)).min(1),
    languages: z.array(z.enum(LOCALES)).min(1),
    capacity: z.number().int().min(1).max(100),
    status: z.enum(['online', 'away', 'offline']).default('offline'),
    tiers: z.array(z.string().min(1).max(32)).optional(),
    handles: z.record(z.string(), z.string()).optional(),
    role: z.enum(STAFF_ROLES).optional(),
    autoAccept: z.boolean().optional(),
    level: z.enum(AGENT_LEVELS).optional(),
  })
  .strict();

/**
 * The demo team: one English agent, one Chinese agent, one bilingual VIP agent. Anna is also the
 * admin (manages staff), Li Lei a supervisor (sees all, reassigns, reports) and the team's expert
 * (conversations Anna and Wang escalate go to him; docs/handoff.md "Expert tier"), Wang an agent. They
 * start offline: an agent is online only while logged in to the console (or active in Slack), and
 * routing offers them conversations to accept (none auto-accepts).
 */
export const DEMO_AGENTS: readonly AgentProfile[] = [
  { id: 'anna', name: 'Anna', skills: ['orders', 'general'], languages: ['en'], capacity: 3, status: 'offline', role: 'admin' },
  { id: 'wang', name: '王芳 Wang Fang', skills: ['refunds', 'orders'], languages: ['zh'], capacity: 3, status: 'offline', role: 'agent' },
  {
    id: 'lilei',
    name: 'Li Lei',
    skills: ['orders', 'refunds', 'general'],
    languages: ['en', 'zh'],
    capacity: 2,
    status: 'offline',
    tiers: ['vip'],
    role: 'supervisor',
    level: 'expert',
  },
];

/** Validates an agents list (parsed JSON); throws KEFU_ERR_HANDOFF_AGENTS_INVALID listing every problem. */
export function parseAgents(input: unknown, source = 'agents list'): AgentProfile[] {
  const parsed = z.array(agentSchema).min(1).safeParse(input);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new KefuError('KEFU_ERR_HANDOFF_AGENTS_INVALID', `The ${source} is invalid; fix:\n  ${lines.join('\n  ')}`, { details: lines });
  }
  const seen = new Set<string>();
  for (const a of parsed.data) {
    if (seen.has(a.id)) throw new KefuError('KEFU_ERR_HANDOFF_AGENTS_INVALID', `The ${source} lists agent id "${a.id}" twice; ids must be unique.`);
    seen.add(a.id);
  }
  return parsed.data;
}

/** Parses the text of an agents JSON file. */
export function parseAgentsJson(text: string, source: string): AgentProfile[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new KefuError('KEFU_ERR_HANDOFF_AGENTS_INVALID', `The ${source} is not valid JSON (${(err as Error).message}); it must be a JSON list of agents.`, { cause: err });
  }
  return parseAgents(json, source);
}

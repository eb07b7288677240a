/** Public types of the audit log. */
import { z } from 'zod';

/** What staff did (and the retention sweep, actor 'retention'). Customer actions are not audited (they are in the conversation history). */
export const AUDIT_ACTIONS = [
  'login',
  'login.failed',
  'logout',
  'claim',
  'reply',
  'note',
  'resolve',
  'transfer',
  'status',
  'ticket.update',
  'ticket.answer',
  'inbox.label',
  'inbox.dismiss',
  'reassign',
  'staff.create',
  'staff.disable',
  'staff.enable',
  'staff.password',
  'staff.seed',
  'kb.create',
  'kb.update',
  'kb.delete',
  'canned.create',
  'canned.update',
  'canned.delete',
  'erase',
  'erase.customer',
  'retention',
  'qa.confirm',
  'qa.dismiss',
  'qa.rescore',
  'qa.export',
  'experiment.create',
  'experiment.stop',
  'experiment.rollout',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Machine detail only (ids, states, counts); never message text. */
export type AuditDetail = Record<string, string | number | boolean>;

export interface AuditEntry {
  /** 1, 2, 3 … without gaps; the entry is stored under this seq. */
  seq: number;
  at: number;
  /** The agent id (or the login name tried, for `login.failed`). */
  actor: string;
  action: AuditAction;
  /** What was acted on: a conversation key, a ticket id, an agent id, an inbox entry id. */
  target: string;
  detail: AuditDetail;
  /** `hash` of the entry before (64 zeros for entry 1). */
  prevHash: string;
  /** SHA-256 of the canonical JSON of all the fields above. */
  hash: string;
}

export interface AuditInput {
  actor: string;
  action: AuditAction;
  target: string;
  detail?: AuditDetail;
}

export interface AuditHead {
  seq: number;
  hash: string;
}

/** Where the chain first breaks, in the order it is walked (entry 1 upwards). */
export type AuditProblem = 'missing' | 'unreadable' | 'moved' | 'link' | 'edited' | 'truncated';

export type AuditVerification = { ok: true; entries: number; head?: AuditHead } | { ok: false; entries: number; seq: number; problem: AuditProblem; message: string };

export const auditEntrySchema = z
  .object({
    seq: z.number().int().positive(),
    at: z.number(),
    actor: z.string(),
    action: z.string(),
    target: z.string(),
    detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
    prevHash: z.string(),
    hash: z.string(),
  })
  .strict();

/** The meta value that remembers the last entry's seq and hash. */
export const AUDIT_HEAD_META = 'audit-head';

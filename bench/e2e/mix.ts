/**
 * The message mixes, read at run time from ../shared/bench/messages.json (or E2E_BENCH_DIR; never
 * copied into the repo): entries `[lang, category, text, escalates?]`. "no-escalation" leaves out the
 * entries marked `true`; "realistic" keeps all of them (about 8 % escalate to a person). Conversations
 * are drawn from a seeded generator so kefu and botbuilder get the very same sequence.
 */

import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BenchError } from './bench-error';
import { createRandom } from '../../intents/linear-trainer';

export const MIXES = ['no-escalation', 'realistic'] as const;
export type MixName = (typeof MIXES)[number];

export interface BenchMessage {
  lang: string;
  category: string;
  text: string;
  escalates: boolean;
}

/** One message to send, and to which conversation. */
export interface NextMessage {
  conversationId: string;
  message: BenchMessage;
}

/** Where messages.json and botbuilder-bot/ live: E2E_BENCH_DIR, else ../shared/bench next to the repo. */
export function sharedBenchDir(repo: string): string {
  return resolve(process.env.E2E_BENCH_DIR ?? join(repo, '..', 'shared', 'bench'));
}

export function loadMessages(file: string): BenchMessage[] {
  if (!existsSync(file)) throw new BenchError(`${file} not found; set E2E_BENCH_DIR to the folder holding messages.json.`);
  const json = JSON.parse(readFileSync(file, 'utf8')) as { messages?: unknown };
  if (!Array.isArray(json.messages)) throw new BenchError(`${file} has no "messages" list.`);
  return json.messages.map(toMessage);
}

function toMessage(entry: unknown, i: number): BenchMessage {
  if (!Array.isArray(entry) || typeof entry[2] !== 'string') throw new BenchError(`messages[${i}] is not [lang, category, text, escalates?].`);
  const [lang, category, text, escalates] = entry as [string, string, string, unknown];
  return { lang, category, text, escalates: escalates === true || (escalates === undefined && looksLikeEscalation(text)) };
}

/** Only used when an entry has no 4th element: explicit asks for a person. */
export function looksLikeEscalation(text: string): boolean {
  return /\b(human|real person|agent|representative)\b|人工|真人|客服人员/i.test(text);
}

export function buildMix(all: readonly BenchMessage[], name: MixName): BenchMessage[] {
  return name === 'realistic' ? [...all] : all.filter((m) => !m.escalates);
}

/** The explicit "talk to a human" messages, for the queue fill. */
export function escalationTexts(all: readonly BenchMessage[]): string[] {
  const asks = all.filter((m) => m.escalates && m.category === 'agent').map((m) => m.text);
  return asks.length ? asks : all.filter((m) => m.escalates).map((m) => m.text);
}

/** The NLU trainer's seeded PRNG (mulberry32), so a seed gives the same load everywhere. */
export const createRng = createRandom;

export function hashSeed(...parts: (string | number)[]): number {
  let h = 2166136261;
  for (const ch of parts.join('|')) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return h >>> 0;
}

/**
 * An endless run of conversations for one load worker: each has 2-6 messages drawn from `mix`, sent
 * one after the other under a fresh id; a message that escalates ends its conversation (the bot
 * then stays silent). Two out-of-scope messages never follow each other in the no-escalation mix,
 * since kefu escalates after HANDOFF_AFTER_FALLBACKS=2 misunderstood turns in a row.
 */
export function createConversations(mix: readonly BenchMessage[], mixName: MixName, seed: number, idPrefix: string): () => NextMessage {
  const rng = createRng(seed);
  let n = 0;
  let left = 0;
  let id = '';
  let lastCategory = '';
  return () => {
    if (left <= 0) {
      n += 1;
      id = `${idPrefix}-${n}`;
      left = 2 + Math.floor(rng() * 5);
      lastCategory = '';
    }
    let message = pick(mix, rng);
    while (mixName === 'no-escalation' && message.category === 'oos' && lastCategory === 'oos') message = pick(mix, rng);
    lastCategory = message.category;
    left = message.escalates ? 0 : left - 1;
    return { conversationId: id, message };
  };
}

function pick<T>(list: readonly T[], rng: () => number): T {
  return list[Math.floor(rng() * list.length)] as T;
}

/** Reads evaluation datasets: JSONL, one `{"text": "...", "intent": "..."}` per line. */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { KefuError } from '../../core';
import type { TrainingExample } from '../corpus';

const rowSchema = z.object({ text: z.string().min(1), intent: z.string().min(1) });

export function parseJsonl(raw: string, file: string): TrainingExample[] {
  const out: TrainingExample[] = [];
  const lines = raw.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (!line) continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new KefuError('KEFU_ERR_NLU_CORPUS_INVALID', `${file}:${i + 1} is not valid JSON. Each line must be {"text": "...", "intent": "..."}.`);
    }
    const row = rowSchema.safeParse(json);
    if (!row.success) {
      throw new KefuError('KEFU_ERR_NLU_CORPUS_INVALID', `${file}:${i + 1} needs non-empty string fields "text" and "intent" (${row.error.issues[0]?.message}).`);
    }
    out.push({ text: row.data.text, intent: row.data.intent });
  }
  if (out.length === 0) throw new KefuError('KEFU_ERR_NLU_CORPUS_INVALID', `${file} has no rows.`);
  return out;
}

export function readJsonl(file: string): TrainingExample[] {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (err) {
    throw new KefuError('KEFU_ERR_NLU_CORPUS_INVALID', `Cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  return parseJsonl(raw, file);
}

/**
 * What an A/B experiment is, as EXPERIMENTS_FILE and the console declare it: an id, two or more
 * weighted variants, and per variant what changes (texts, which dialog answers an intent, the NLU
 * threshold, handoff rules). Parsed with zod; every problem is listed in one coded error.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { KefuError } from '../../core';

const id = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, { error: 'must be 1-64 of a-z 0-9 . _ - (starting with a letter or digit)' });
const textTable = z.record(z.string().min(1).max(64), z.string().min(1).max(2000));

export const variantSchema = z
  .object({
    id,
    /** Relative share of the traffic (default 1): weights 1 and 3 send 25 % and 75 %. */
    weight: z.number().positive().max(1000).default(1),
    /** Dialog id → locale → text key → template: replaces those texts of the dialog. */
    texts: z.record(id, z.object({ en: textTable.optional(), zh: textTable.optional() }).strict()).default({}),
    /** Intent → dialog id: that dialog answers the intent instead of the one it triggers. */
    dialogs: z.record(z.string().min(1).max(64), id).default({}),
    /** The intent confidence under which the turn counts as not understood (None), 0..1. */
    nluThreshold: z.number().min(0).max(1).optional(),
    /** Earlier handoff: after this many misunderstood turns, or at this anger (sentiment ≤ −value). */
    handoff: z
      .object({ afterFallbacks: z.number().int().min(1).max(20).optional(), angerThreshold: z.number().min(0).max(1).optional() })
      .strict()
      .optional(),
  })
  .strict();

export const experimentSchema = z
  .object({
    id,
    description: z.string().max(500).default(''),
    variants: z
      .array(variantSchema)
      .min(2)
      .max(10)
      .refine((vs) => new Set(vs.map((v) => v.id)).size === vs.length, { error: 'two variants have the same id' }),
    /** Conversations per variant below which analytics says "not enough data yet" (default 100). */
    minSample: z.number().int().min(1).max(1_000_000).default(100),
    /** Intents whose answer, finished with no question pending and no handoff, resolves the conversation (default: any recognised intent but small talk, cancel and asking for a person). */
    resolvingIntents: z.array(z.string().min(1).max(64)).max(100).optional(),
  })
  .strict();

export const experimentsFileSchema = z
  .object({ experiments: z.array(experimentSchema).max(50) })
  .strict()
  .refine((f) => new Set(f.experiments.map((e) => e.id)).size === f.experiments.length, { error: 'two experiments have the same id' });

export type Variant = z.output<typeof variantSchema>;
export type Experiment = z.output<typeof experimentSchema>;
export type ExperimentInput = z.input<typeof experimentSchema>;

function invalid(where: string, error: z.ZodError): KefuError {
  const lines = error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`);
  return new KefuError('KEFU_ERR_EXPERIMENTS_INVALID', `${where} is not a valid experiment list (docs/experiments.md):\n${lines.join('\n')}`);
}

/** Parses one experiment (a console create); throws KEFU_ERR_EXPERIMENTS_INVALID listing every problem. */
export function parseExperiment(input: unknown): Experiment {
  const r = experimentSchema.safeParse(input);
  if (!r.success) throw invalid('The experiment', r.error);
  return r.data;
}

/** Parses an experiments file's content (`{ "experiments": [...] }`). */
export function parseExperimentsFile(text: string, where: string): Experiment[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new KefuError('KEFU_ERR_EXPERIMENTS_INVALID', `${where} is not JSON (${(err as Error).message}); see docs/experiments.md for the format.`);
  }
  const r = experimentsFileSchema.safeParse(json);
  if (!r.success) throw invalid(where, r.error);
  return r.data.experiments;
}

/** Reads EXPERIMENTS_FILE (no file given: no experiments). */
export async function loadExperimentsFile(path: string | undefined): Promise<Experiment[]> {
  if (!path) return [];
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new KefuError('KEFU_ERR_EXPERIMENTS_INVALID', `EXPERIMENTS_FILE "${path}" cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'}); fix the path or unset it.`);
  }
  return parseExperimentsFile(text, `EXPERIMENTS_FILE "${path}"`);
}

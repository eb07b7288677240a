/**
 * The real NLU on the demo corpora, trained once per test run and shared by every test that talks
 * to the demo bot (dialogs, platform demos), in a temporary model cache removed at exit.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Locale, silentLogger } from '../../core';
import { createNluClassifier, type NluClassifier, parseCorpus } from '../../intents';

export const LOCALES_DIR = join(__dirname, '..', '..', 'locales');

let shared: Promise<NluClassifier> | undefined;

export function demoNlu(): Promise<NluClassifier> {
  shared ??= (async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'kefu-demo-nlu-'));
    process.once('exit', () => rmSync(cacheDir, { recursive: true, force: true }));
    return createNluClassifier({ localesDir: LOCALES_DIR, cacheDir, threshold: 0.5, log: silentLogger });
  })();
  return shared;
}

/** A demo corpus file, validated by the NLU's own loader, grouped by intent as written. */
export function readCorpus(locale: Locale): { locale: Locale; data: Array<{ intent: string; utterances: string[] }> } {
  const file = join(LOCALES_DIR, locale, 'corpus.json');
  const raw = readFileSync(file, 'utf8');
  parseCorpus(raw, file, locale);
  return JSON.parse(raw) as { locale: Locale; data: Array<{ intent: string; utterances: string[] }> };
}

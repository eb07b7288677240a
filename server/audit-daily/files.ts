/** Daily digests on disk: `DATA_DIR/audit/<YYYY-MM-DD>.json`, one per day, written once (mode 600). */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DailyDigest } from './digest';

const FILE = /^(\d{4}-\d{2}-\d{2})\.json$/;

export function digestDir(dataDir: string): string {
  return join(dataDir, 'audit');
}

/** The dates with a digest, oldest first. */
export async function digestDates(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  return names.flatMap((n) => FILE.exec(n)?.[1] ?? []).sort();
}

export async function readDigest(dir: string, date: string): Promise<DailyDigest | undefined> {
  try {
    return JSON.parse(await readFile(join(dir, `${date}.json`), 'utf8')) as DailyDigest;
  } catch {
    return undefined;
  }
}

/** Writes the day's digest unless one exists (another instance on this data dir wrote it first): true when written. */
export async function writeDigestOnce(dir: string, digest: DailyDigest): Promise<boolean> {
  await mkdir(dir, { recursive: true });
  try {
    await writeFile(join(dir, `${digest.date}.json`), `${JSON.stringify(digest, null, 2)}\n`, { flag: 'wx', mode: 0o600 });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

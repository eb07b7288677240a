/**
 * Finds and reads story files: each path is a file, or a folder searched recursively for
 * `*.yaml`, `*.yml` and `*.json`. Files are read in sorted order, so runs are repeatable.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { KefuError } from '../core/errors';
import { parseStories } from './parse-story';
import type { Story } from './story';

export const STORY_FILE = /\.(ya?ml|json)$/i;
/** Where `kefu test` looks when given no paths. */
export const DEFAULT_STORY_PATHS = ['stories'];

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries
      .filter((e) => !e.name.startsWith('.') && e.name !== 'node_modules')
      .map(async (e) => {
        const full = join(dir, e.name);
        if (e.isDirectory()) return filesUnder(full);
        return STORY_FILE.test(e.name) ? [full] : [];
      }),
  );
  return nested.flat();
}

/** The story files at these paths (files as given, folders searched), sorted, without repeats. */
export async function findStoryFiles(paths: readonly string[]): Promise<string[]> {
  const found = new Set<string>();
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info) throw new KefuError('KEFU_ERR_STORY_NOT_FOUND', `No file or folder "${path}"; give story files or folders (default: ${DEFAULT_STORY_PATHS.join(', ')}).`);
    for (const file of info.isDirectory() ? await filesUnder(path) : [path]) found.add(file);
  }
  if (found.size === 0) throw new KefuError('KEFU_ERR_STORY_NOT_FOUND', `No story files (*.yaml, *.yml, *.json) under ${paths.join(', ')}.`);
  return [...found].sort();
}

/**
 * Loads every story under the given paths (files or folders).
 * @example
 * const stories = await loadStories(['stories/demo']);
 */
export async function loadStories(paths: readonly string[] = DEFAULT_STORY_PATHS): Promise<Story[]> {
  const files = await findStoryFiles(paths);
  const perFile = await Promise.all(files.map(async (file) => parseStories(await readFile(file, 'utf8'), file)));
  return perFile.flat();
}

/**
 * Maps a position in tsx-compiled code (what V8's profile reports for a .ts file: all of it on a
 * line or two) back to the .ts line, through the source maps tsx keeps in its cache
 * (`<tmp>/tsx-<uid>/`, JSON `{code, map}` with the source embedded). The entry whose embedded
 * source equals the file on disk is the one that ran; failing that, the newest.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

type Segments = number[][][];

export type TsLineMapper = (file: string, line0: number, column0: number) => number | undefined;

export function createTsLineMapper(cacheDir = join(tmpdir(), `tsx-${userInfo().uid}`)): TsLineMapper {
  let index: Map<string, string[]> | undefined;
  const decoded = new Map<string, Segments | undefined>();
  return (file, line0, column0) => {
    index ??= indexCache(cacheDir);
    if (!decoded.has(file)) decoded.set(file, loadMappings(file, index.get(file) ?? []));
    const lines = decoded.get(file);
    const segs = lines?.[line0];
    if (!segs) return undefined;
    let best: number[] | undefined;
    for (const s of segs) if ((s[0] as number) <= column0) best = s;
    return best && best.length >= 4 ? (best[2] as number) + 1 : undefined;
  };
}

/** Source file → the cache files compiled from it. */
function indexCache(dir: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names) {
    const head = readHead(join(dir, name));
    const m = /^\{"code":"__filename=\\"(.+?)\\"/.exec(head);
    if (!m?.[1]) continue;
    const list = out.get(m[1]) ?? [];
    list.push(join(dir, name));
    out.set(m[1], list);
  }
  return out;
}

function readHead(file: string): string {
  try {
    return readFileSync(file, 'utf8').slice(0, 400);
  } catch {
    return '';
  }
}

function loadMappings(file: string, entries: string[]): Segments | undefined {
  let current = '';
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    // deleted since: take the newest entry
  }
  const parsed = entries.map((e) => ({ e, mtime: statSync(e).mtimeMs, json: JSON.parse(readFileSync(e, 'utf8')) as { map?: unknown } }));
  const maps = parsed.map((p) => ({
    ...p,
    map: (typeof p.json.map === 'string' ? JSON.parse(p.json.map) : p.json.map) as { mappings?: string; sourcesContent?: string[] } | undefined,
  }));
  const exact = maps.find((m) => m.map?.sourcesContent?.[0] === current);
  const chosen = exact ?? maps.sort((a, b) => b.mtime - a.mtime)[0];
  return chosen?.map?.mappings ? decodeMappings(chosen.map.mappings) : undefined;
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Source map v3 "mappings" → per generated line, segments [genCol, source, srcLine, srcCol] (absolute, 0-based). */
export function decodeMappings(mappings: string): Segments {
  const lines: Segments = [];
  const state = [0, 0, 0, 0, 0];
  for (const line of mappings.split(';')) {
    state[0] = 0;
    const segs: number[][] = [];
    for (const seg of line.split(',')) {
      if (!seg) continue;
      const values = decodeVlq(seg);
      const abs = values.map((v, i) => {
        state[i] = (state[i] as number) + v;
        return state[i] as number;
      });
      segs.push(abs);
    }
    lines.push(segs);
  }
  return lines;
}

function decodeVlq(seg: string): number[] {
  const out: number[] = [];
  let value = 0;
  let shift = 0;
  for (const ch of seg) {
    const digit = B64.indexOf(ch);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
      continue;
    }
    out.push(value & 1 ? -(value >>> 1) : value >>> 1);
    value = 0;
    shift = 0;
  }
  return out;
}

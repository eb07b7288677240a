/** Checks the dependency table of ARCHITECTURE.md by scanning import specifiers. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const RULES: Record<string, (target: string, file: string) => boolean> = {
  core: (t) => t.startsWith('core/'),
  dialogs: (t) => t.startsWith('core/') || t.startsWith('dialogs/') || t.startsWith('kit/'),
  intents: (t) => t.startsWith('core/') || t.startsWith('intents/'),
  // The SQLite store's import of kefu 0.1 files needs the plugins' meta names (legacy-import.ts).
  stores: (t, f) => t.startsWith('core/') || t.startsWith(f.split('/').slice(0, 2).join('/')) || (f === 'stores/sqlite/legacy-import.ts' && t.startsWith('plugins/')),
  // An agent-side adapter (Slack threads, the web chat's signals) speaks the handoff plugin's types.
  adapters: (t, f) => t.startsWith('core/') || t.startsWith(f.split('/').slice(0, 2).join('/')) || t.startsWith('plugins/handoff/'),
  // Plugins are built on the engine: core, and each other (analytics reads the handoff's records).
  plugins: (t) => t.startsWith('core/') || t.startsWith('plugins/'),
  // Browser code takes only types from core, and the one pure function both sides must agree on:
  // the visitor's display name (plugins/handoff/customer.ts imports nothing but types).
  web: (t) => t.startsWith('web/') || t === 'plugins/handoff/customer/',
  kit: (t) => t.startsWith('core/') || t.startsWith('kit/'),
  // The framework imports nothing of the demo shop: the demo is one app on the public API.
  server: (t) => !t.startsWith('dialogs/') && !t.startsWith('demo/'),
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.ts$/.test(name) ? [full] : [];
  });
}

describe('architecture', () => {
  it('imports follow the dependency table (core → nothing; adapters → core + own folder; …)', () => {
    const broken: string[] = [];
    for (const area of Object.keys(RULES)) {
      let files: string[] = [];
      try {
        files = sourceFiles(join(ROOT, area));
      } catch {
        continue;
      }
      for (const file of files) {
        const rel = relative(ROOT, file);
        const src = readFileSync(file, 'utf8');
        for (const m of src.matchAll(/(?:from|import|require\()\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
          const target = relative(ROOT, resolve(dirname(file), m[1] as string));
          const typeOnly = /import\s+type\b/.test(
            src
              .slice(Math.max(0, (m.index ?? 0) - 200), m.index ?? 0)
              .split('\n')
              .pop() ?? '',
          );
          if (area === 'web' && typeOnly) continue;
          if (!(RULES[area] as (t: string, f: string) => boolean)(`${target}/`, rel)) broken.push(`${rel} imports ${m[1]}`);
        }
      }
    }
    assert.deepEqual(broken, [], `imports that break ARCHITECTURE.md:\n${broken.join('\n')}`);
  });
});

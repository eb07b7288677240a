/**
 * `kefu init <dir>`: a new bot project (templates/bot): package.json depending on kefu, a bilingual
 * example dialog, corpora in English and Chinese, `.env.example`, conversation stories and a README
 * whose two commands work. From a kefu checkout the project depends on it by path (works offline).
 */
import { cpSync, existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { KefuError } from '../../core';

const ROOT = resolve(__dirname, '..', '..');
const TEMPLATE = join(ROOT, 'templates', 'bot');
/** Files whose `{{name}}` is the project's name. */
const NAMED = ['README.md', 'bot.ts'];

const HELP = `usage: kefu init <dir>

Creates a bot project in <dir> (new or empty): an example dialog in English and Chinese, its
corpora, conversation stories, .env.example and a README. Then: cd <dir> && npm install && npm start
`;

export async function run(argv: string[]): Promise<number> {
  const dir = argv.find((a) => !a.startsWith('-'));
  if (argv.includes('--help') || !dir) {
    process.stdout.write(HELP);
    return dir ? 0 : 2;
  }
  const target = resolve(dir);
  scaffold(target);
  process.stdout.write(`kefu: created ${relative(process.cwd(), target) || '.'} (${projectName(target)})\n\n  cd ${dir}\n  npm install && npm start\n  npm test\n`);
  return 0;
}

/** Writes the project into `target`, which must not exist or be empty. */
export function scaffold(target: string, kefuDependency = dependencyOnThisKefu()): void {
  if (existsSync(target) && readdirSync(target).length > 0) {
    throw new KefuError('KEFU_ERR_INIT_TARGET_NOT_EMPTY', `${target} is not empty; give kefu init a new or empty folder.`);
  }
  cpSync(TEMPLATE, target, { recursive: true });
  renameSync(join(target, '_gitignore'), join(target, '.gitignore')); // npm would drop a real .gitignore from a package
  const name = projectName(target);
  for (const file of NAMED) writeFileSync(join(target, file), readFileSync(join(target, file), 'utf8').replaceAll('{{name}}', name));
  writeFileSync(join(target, 'package.json'), `${JSON.stringify(packageJson(name, kefuDependency), null, 2)}\n`);
}

function packageJson(name: string, kefuDependency: string) {
  return {
    name,
    version: '0.1.0',
    private: true,
    scripts: { start: 'kefu start bot.ts', test: 'kefu test --app ./app.ts', chat: 'kefu chat --app ./app.ts' },
    dependencies: { kefu: kefuDependency },
  };
}

/** `file:` this checkout when kefu runs from one (offline, and edits to kefu show at once); else its version. */
function dependencyOnThisKefu(): string {
  const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  return ROOT.split(/[\\/]/).includes('node_modules') ? `^${version}` : `file:${ROOT}`;
}

/** An npm package name from the folder's name. */
function projectName(target: string): string {
  const name = basename(target)
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[._-]+|[-]+$/g, '');
  return name || 'kefu-bot';
}

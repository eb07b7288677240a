/**
 * The botbuilder comparison bot (../shared/bench/botbuilder-bot): copied to a scratch folder outside
 * the repo and `npm install`ed there once (reused while its package.json and bot.js are unchanged),
 * then run with NODE_PATH pointing at that install, as its README says. Never touches the repo.
 */

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { BenchError } from './bench-error';
import { freePort, type RunningServer, startServer } from './servers';

export interface BotbuilderInstall {
  dir: string;
  reused: boolean;
}

/** Copies and installs the bot in `<tmp>/kefu-bench-botbuilder-<hash>`; throws with npm's own words on failure. */
export function installBotbuilder(source: string, repo: string): BotbuilderInstall {
  const src = resolve(source);
  for (const f of ['bot.js', 'package.json']) {
    if (!existsSync(join(src, f)))
      throw new BenchError(`--compare ${source}: ${join(src, f)} is missing; point --compare at the botbuilder-bot folder (../shared/bench/botbuilder-bot).`);
  }
  const hash = createHash('sha1')
    .update(readFileSync(join(src, 'package.json')))
    .update(readFileSync(join(src, 'bot.js')))
    .digest('hex')
    .slice(0, 10);
  const dir = join(tmpdir(), `kefu-bench-botbuilder-${hash}`);
  if (!relative(resolve(repo), dir).startsWith('..')) throw new BenchError(`the scratch folder ${dir} is inside the repo; set TMPDIR to a folder outside it.`);
  if (existsSync(join(dir, 'node_modules', 'botbuilder', 'package.json'))) return { dir, reused: true };
  cpSync(src, dir, { recursive: true });
  process.stderr.write(`bench e2e: installing the botbuilder bot in ${dir} (npm install, once) …\n`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['install', '--no-audit', '--no-fund'], { cwd: dir, encoding: 'utf8', timeout: 600_000 });
  if (r.error || r.status !== 0) {
    const why = r.error ? r.error.message : `npm install exited with ${r.status}`;
    const out = `${r.stdout ?? ''}\n${r.stderr ?? ''}`.trim().split('\n').slice(-25).join('\n');
    throw new BenchError(
      `could not install the botbuilder bot in ${dir}: ${why}.\n${out}\nCheck network access to the npm registry, or install it by hand (see ${join(src, '..', 'README.md')}) and run again; the comparison needs botbuilder, botbuilder-dialogs and @nlpjs.`,
    );
  }
  if (!existsSync(join(dir, 'node_modules', 'botbuilder'))) throw new BenchError(`npm install in ${dir} finished but node_modules/botbuilder is missing.`);
  return { dir, reused: false };
}

export async function startBotbuilder(install: BotbuilderInstall, repo: string, logFile: string, modelCache: string): Promise<RunningServer> {
  const port = await freePort();
  return startServer({
    name: 'botbuilder',
    command: process.execPath,
    args: [join(install.dir, 'bot.js'), '--project', resolve(repo), '--port', String(port), '--model-cache', modelCache],
    cwd: install.dir,
    env: { ...process.env, NODE_PATH: join(install.dir, 'node_modules') },
    port,
    logFile,
  });
}

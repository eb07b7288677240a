/** `kefu train`: trains (or loads from cache) the NLU model of every locale and prints its hash. */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isKefuError, loadConfig } from '../../core';
import { createNluClassifier } from '../../intents';
import { createProgressBar, type ProgressSink } from '../../intents/progress-bar';
import { KIT_LOCALES_DIR } from '../../kit/dialogs';

const HELP = `usage: kefu train [--locales DIR] [--cache DIR]

Trains the intent classifier of each locale from <locales>/<lang>/corpus.json and saves it to the
model cache, so the server starts without training. A model whose corpus did not change is loaded
from the cache instead. Prints one line per locale: locale, model hash, intents, time.

  --locales DIR   corpora folder (default: LOCALES_DIR, ./locales)
  --cache DIR     model cache (default: <DATA_DIR>/models, ./data/models)
  --help          this text
`;

export interface CommandIo {
  stdout: ProgressSink;
  stderr: ProgressSink;
}

export async function run(argv: string[], io: CommandIo = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  let values: { locales?: string; cache?: string; help?: boolean };
  try {
    ({ values } = parseArgs({ args: argv, options: { locales: { type: 'string' }, cache: { type: 'string' }, help: { type: 'boolean' } } }));
  } catch (err) {
    io.stderr.write(`kefu train: ${err instanceof Error ? err.message : String(err)}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    io.stdout.write(HELP);
    return 0;
  }
  const config = loadConfig();
  const localesDir = values.locales ?? config.LOCALES_DIR;
  const cacheDir = values.cache ?? join(config.DATA_DIR, 'models');
  const bar = createProgressBar(io.stderr);
  const trained = new Set<string>();
  const started = Date.now();
  try {
    const nlu = await createNluClassifier({
      localesDir,
      baseLocalesDir: KIT_LOCALES_DIR, // as the server trains: the kit's intents under the bot's
      cacheDir,
      onProgress: (p) => {
        trained.add(p.locale);
        bar.update(`training ${p.locale}`, p.done, p.total);
        if (p.done === p.total) bar.done();
      },
    });
    bar.done();
    for (const locale of nlu.locales()) {
      const how = trained.has(locale) ? 'trained' : 'up to date (cached)';
      io.stdout.write(`${locale}  ${nlu.modelHash(locale)}  ${nlu.intents(locale).length} intents  ${how}\n`);
    }
    io.stdout.write(`models in ${cacheDir} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
    return 0;
  } catch (err) {
    bar.done();
    if (!isKefuError(err)) throw err;
    io.stderr.write(`kefu train: ${err.code}: ${err.message}\n`);
    return 1;
  }
}

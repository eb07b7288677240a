/**
 * Which bot a CLI command talks to: `--app <module>` names a module whose default export (or
 * `app` export) is the options for `createKefuApp` (a bot project's `bot-app.ts`, say); without it,
 * the demo shop.
 */
import { resolve } from 'node:path';
import { KefuError } from '../core';
import type { KefuAppOptions } from '../server/create-app';

export function appOptionsFrom(argv: readonly string[]): KefuAppOptions {
  const at = argv.indexOf('--app');
  if (at < 0) return (require('../demo/app') as { demoApp: KefuAppOptions }).demoApp;
  const path = argv[at + 1];
  if (!path) throw new KefuError('KEFU_ERR_CONFIG_INVALID', '--app needs a module path, e.g. --app ./bot-app.ts');
  const mod = require(resolve(path)) as { default?: KefuAppOptions; app?: KefuAppOptions };
  const options = mod.app ?? mod.default;
  if (!options || !Array.isArray(options.dialogs)) {
    throw new KefuError('KEFU_ERR_CONFIG_INVALID', `${path} must export the app's options (with dialogs) as its default export or as "app".`);
  }
  return options;
}

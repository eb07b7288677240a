/**
 * The public way in for bot authors: give kefu your dialogs (and, if you like, your corpora folder,
 * plugins, agents and settings) and get the whole app: the web chat, `/healthz`, the platform
 * adapters configured in the environment, handoff with the agent console, analytics and the audit
 * log. Settings not given come from the environment (and `.env`), as for `npm start`.
 * @example
 * const app = await createKefuApp({ dialogs: [weather], locales: './locales' });
 * await app.listen({ port: 3000 });
 */
import { existsSync } from 'node:fs';
import { type Config, loadConfig } from '../core';
import { type AppOverrides, type BotParts, buildApp, type KefuApp } from './app';

/** Settings by their environment names (see .env.example), e.g. `{ PORT: 3001, DEFAULT_LOCALE: 'zh' }`. */
export type ConfigSettings = { [K in keyof Config]?: string | number | boolean | readonly string[] };

export interface KefuAppOptions extends BotParts, AppOverrides {
  /** The folder holding `<lang>/corpus.json` (and `faq.json`) for your intents; default LOCALES_DIR, else ./locales. */
  locales?: string;
  /** Settings over the environment's. */
  config?: ConfigSettings;
  /** The environment to read instead of `process.env` and `.env` (tests). */
  env?: Record<string, string | undefined>;
}

export type { KefuApp } from './app';

export async function createKefuApp(options: KefuAppOptions): Promise<KefuApp> {
  return buildApp(configFor(options), options);
}

/** The environment (with `.env` loaded into it when present), overlaid with `locales` and `config`. */
export function configFor(options: Pick<KefuAppOptions, 'locales' | 'config' | 'env'>): Readonly<Config> {
  if (!options.env && existsSync('.env')) process.loadEnvFile('.env');
  const given = Object.entries(options.config ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : String(v)]);
  return loadConfig({ ...(options.env ?? process.env), ...(options.locales ? { LOCALES_DIR: options.locales } : {}), ...Object.fromEntries(given) });
}

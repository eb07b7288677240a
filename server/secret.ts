/**
 * The server's signing secret (console sessions, event-stream tickets). `KEFU_SECRET` when set;
 * required in multi-instance mode, where every instance must verify what another signed. One
 * process without it generates a secret once and keeps it in `DATA_DIR/secret` (mode 600), so a
 * restart logs nobody out. Each use gets its own key derived from it.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Config, KefuError } from '../core';

export type SecretPurpose = 'console-session' | 'event-ticket' | 'audit-digest';

export interface ServerSecret {
  /** A 32-byte key for one purpose (an HMAC of the purpose under the secret). */
  keyFor(purpose: SecretPurpose): Buffer;
  readonly source: 'KEFU_SECRET' | 'DATA_DIR';
}

export async function loadServerSecret(config: Readonly<Pick<Config, 'KEFU_SECRET' | 'REDIS_URL' | 'DATA_DIR'>>): Promise<ServerSecret> {
  if (config.KEFU_SECRET) return derived(Buffer.from(config.KEFU_SECRET, 'utf8'), 'KEFU_SECRET');
  if (config.REDIS_URL) {
    throw new KefuError(
      'KEFU_ERR_CONFIG_INVALID',
      'KEFU_SECRET is required with REDIS_URL: every instance must sign console sessions with the same secret (e.g. `openssl rand -hex 32`).',
      {
        details: ['KEFU_SECRET: required with REDIS_URL'],
      },
    );
  }
  return derived(await keptSecret(config.DATA_DIR), 'DATA_DIR');
}

function derived(secret: Buffer, source: ServerSecret['source']): ServerSecret {
  return { source, keyFor: (purpose) => createHmac('sha256', secret).update(`kefu:${purpose}`).digest() };
}

/** DATA_DIR/secret, created on first start; two processes starting at once both end up with the file's secret. */
async function keptSecret(dataDir: string): Promise<Buffer> {
  const path = join(dataDir, 'secret');
  await mkdir(dataDir, { recursive: true });
  try {
    await writeFile(path, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const text = (await readFile(path, 'utf8')).trim();
  if (!/^[0-9a-f]{64}$/.test(text)) {
    throw new KefuError(
      'KEFU_ERR_CONFIG_INVALID',
      `${path} is not a kefu secret (64 hex characters); delete it to have a new one made (console sessions end), or set KEFU_SECRET.`,
    );
  }
  return Buffer.from(text, 'hex');
}

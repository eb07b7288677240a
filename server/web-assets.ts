/** Builds the browser code in web/ once at start-up with esbuild, so `npm start` needs no build step. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';

export interface WebAsset {
  body: string;
  type: string;
}

const WEB_DIR = join(__dirname, '..', 'web');

/** Bundles `web/<app>/main.ts` and reads its `index.html` and `style.css`. */
export async function buildWebApp(app: string): Promise<Map<string, WebAsset>> {
  const dir = join(WEB_DIR, app);
  const bundle = await build({
    entryPoints: [join(dir, 'main.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2020',
    minify: true,
    sourcemap: false,
    logLevel: 'silent',
  });
  const assets = new Map<string, WebAsset>();
  assets.set('main.js', { body: bundle.outputFiles[0]?.text ?? '', type: 'text/javascript; charset=utf-8' });
  assets.set('index.html', { body: await readFile(join(dir, 'index.html'), 'utf8'), type: 'text/html; charset=utf-8' });
  assets.set('style.css', { body: await readFile(join(dir, 'style.css'), 'utf8'), type: 'text/css; charset=utf-8' });
  return assets;
}

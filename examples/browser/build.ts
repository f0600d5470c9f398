import { copyFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildClient } from '@chat/client/build';
import { build } from 'esbuild';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
export const PAGE_DIR = here('./dist');

/**
 * Bundles the page against the client's build (what `npm install @chat/client` gives), not its
 * sources; outside this repository, with the package installed, drop the alias.
 */
export const buildPage = async () => {
  const client = await buildClient(here('./dist/client'));
  await build({
    entryPoints: [here('./src/main.ts')],
    outfile: `${PAGE_DIR}/app.js`,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    alias: { '@chat/client': client },
    logLevel: 'warning',
  });
  copyFileSync(here('./index.html'), `${PAGE_DIR}/index.html`);
};

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildPage();

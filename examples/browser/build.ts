import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
export const PAGE_DIR = here('./dist');

/**
 * Bundles the page against the client's published build (`packages/client/dist`, what
 * `npm install @chat/client` gives), not its sources; outside this repository drop the alias.
 */
export const buildPage = async () => {
  execFileSync(process.execPath, ['--import', 'tsx', here('../../packages/client/scripts/build.ts')], {
    stdio: 'inherit',
  });
  mkdirSync(PAGE_DIR, { recursive: true });
  await build({
    entryPoints: [here('./src/main.ts')],
    outfile: `${PAGE_DIR}/app.js`,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    alias: { '@chat/client': here('../../packages/client/dist/index.js') },
    logLevel: 'warning',
  });
  copyFileSync(here('./index.html'), `${PAGE_DIR}/index.html`);
};

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildPage();

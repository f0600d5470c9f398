import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { PAGE_DIR } from '../src/server/page-dir';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Bundles the page (esbuild: TypeScript, the client SDK from its sources, the stylesheet) into
 * `dist/`. Run by `pnpm start` and the fleet before they serve it, and by the browser test.
 */
export const buildPage = async (outDir = PAGE_DIR): Promise<string> => {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(join(outDir, 'assets'), { recursive: true });
  await build({
    entryPoints: { app: join(root, 'src/page/main.ts'), style: join(root, 'src/page/style.css') },
    outdir: join(outDir, 'assets'),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    sourcemap: true,
    logLevel: 'warning',
  });
  copyFileSync(join(root, 'src/page/index.html'), join(outDir, 'index.html'));
  return outDir;
};

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildPage();

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * Builds the published artifact: one ES module with its source map (esbuild), and the `.d.ts`
 * files (tsc). The workspace never needs it: there, `@chat/client` is the TypeScript source (see
 * the README). `pnpm pack` builds into `dist/`; other builds (the browser example's) pass their own
 * directory, so that builds running at once never share one.
 */
const root = fileURLToPath(new URL('..', import.meta.url));

// The sources import extensionless paths (bundler resolution); a consumer compiling with
// `moduleResolution: node16/nodenext` needs the `.js` that Node would load.
const withExtensions = (text: string) => text.replace(/(from '\.\.?\/[\w/-]+)'/g, "$1.js'");

export const buildClient = async (outDir = join(root, 'dist')): Promise<string> => {
  rmSync(outDir, { recursive: true, force: true });
  await build({
    entryPoints: {
      index: join(root, 'src/index.ts'),
      mls: join(root, 'src/mls/index.ts'),
      'mls-file-store': join(root, 'src/mls/file-key-store.ts'),
    },
    outdir: outDir,
    bundle: true,
    format: 'esm',
    // The two entries share one copy of the client (a chunk), so `@chat/client/mls` works on the
    // ChatClient of `@chat/client`; only `mls` imports ts-mls, its peer dependency.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    external: ['ts-mls', 'ts-mls/*', 'node:*'],
    // No Node built-ins but in `mls-file-store` (Node's file store): the others run in browsers,
    // Node, Deno and Bun.
    platform: 'neutral',
    target: 'es2022',
    sourcemap: true,
    sourcesContent: true,
    logLevel: 'warning',
  });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', outDir], {
    stdio: 'inherit',
  });
  for (const file of readdirSync(outDir, { recursive: true, encoding: 'utf8' }).filter((name) =>
    name.endsWith('.d.ts'),
  )) {
    const path = join(outDir, file);
    writeFileSync(path, withExtensions(readFileSync(path, 'utf8')));
  }
  return join(outDir, 'index.js');
};

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(`built ${await buildClient()}\n`);
}

import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * Builds the published artifact into `dist/`: one ES module with its source map (esbuild), and the
 * `.d.ts` files with their maps (tsc). The workspace never needs it: there, `@chat/client` is the
 * TypeScript source (see the README).
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');

rmSync(dist, { recursive: true, force: true });
await build({
  entryPoints: [join(root, 'src/index.ts')],
  outfile: join(dist, 'index.js'),
  bundle: true,
  format: 'esm',
  // No Node built-ins and no dependencies: the same file runs in browsers, Node, Deno and Bun.
  platform: 'neutral',
  target: 'es2022',
  sourcemap: true,
  sourcesContent: true,
  logLevel: 'warning',
});

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });

// The sources import extensionless paths (bundler resolution); a consumer compiling with
// `moduleResolution: node16/nodenext` needs the `.js` that Node would load.
const withExtensions = (text: string) => text.replace(/(from '\.\/[\w-]+)'/g, "$1.js'");
for (const file of readdirSync(dist).filter((name) => name.endsWith('.d.ts'))) {
  const path = join(dist, file);
  writeFileSync(path, withExtensions(readFileSync(path, 'utf8')));
}
process.stdout.write(`built ${dist}\n`);

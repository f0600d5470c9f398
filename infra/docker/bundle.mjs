#!/usr/bin/env node
// Production bundle of one service: src/main.ts and every workspace package and npm dependency
// it imports become a single ESM file, dist/main.mjs, so the runtime image needs no TypeScript
// loader and almost no node_modules. Run from a service directory:
//
//   node ../../infra/docker/bundle.mjs            (what `pnpm --filter @chat/<service> build` does)
//
// Writes dist/main.mjs (+ .map), dist/meta.json (esbuild's metafile, for size analysis) and
// dist/externals.json: the packages left out of the bundle that the bundle really imports and
// that are installed, with their versions and where they are installed (relative to the service
// directory). stage-runtime.mjs ships exactly those.
import { mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import process from 'node:process';
import { build } from 'esbuild';

/**
 * Left out of the bundle and shipped in node_modules: native addons (a .node binary cannot be
 * inlined, and both locate their binary relative to their own files).
 */
const NATIVE = ['better-sqlite3', 'uWebSockets.js'];

/**
 * Left out of the bundle and NOT shipped: optional modules that dependencies load only when they
 * are installed or configured (inside try/catch or behind an option), none of which this
 * platform installs. Bundling fails on them because they cannot be resolved.
 */
const OPTIONAL = [
  // ws / uWebSockets.js fallback: native speed-ups, optional
  'bufferutil',
  'utf-8-validate',
  // mongodb driver: compression, Kerberos, client-side encryption, cloud auth, SOCKS proxies
  'kerberos',
  'snappy',
  '@mongodb-js/zstd',
  'mongodb-client-encryption',
  '@aws-sdk/credential-providers',
  'gcp-metadata',
  'socks',
  // pino transports run in worker threads from files; the services log to stdout instead
  'pino-pretty',
];

const serviceDir = process.cwd();
const entry = join(serviceDir, 'src/main.ts');
const outdir = join(serviceDir, 'dist');
const outfile = join(outdir, 'main.mjs');
const manifest = JSON.parse(readFileSync(join(serviceDir, 'package.json'), 'utf8'));

// CommonJS dependencies inside an ESM bundle still call require() and read __dirname/__filename.
// The runtime's settings loader finds config/default.yaml relative to its own source file, a path
// a bundle no longer has: unless CHAT_CONFIG says otherwise, the bundle reads the config/ that
// stage-runtime.mjs places beside dist/ (in the image, /app/config).
const banner = [
  "import { createRequire as __bundleCreateRequire } from 'node:module';",
  "import { fileURLToPath as __bundleFileURLToPath } from 'node:url';",
  "import { dirname as __bundleDirname } from 'node:path';",
  'const require = __bundleCreateRequire(import.meta.url);',
  'const __filename = __bundleFileURLToPath(import.meta.url);',
  'const __dirname = __bundleDirname(__filename);',
  "process.env.CHAT_CONFIG ??= __bundleFileURLToPath(new URL('../config/default.yaml', import.meta.url));",
].join('\n');

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });

const started = Date.now();
const result = await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  banner: { js: banner },
  external: [...NATIVE, ...OPTIONAL],
  sourcemap: 'linked',
  sourcesContent: false,
  keepNames: true,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
  logOverride: {
    // Dependencies guard optional require()s with try/catch; esbuild warns about each one.
    'require-resolve-not-external': 'silent',
  },
});

// Which externals does the bundle import, and which of those are installed? Each is resolved
// from the file that imports it (a workspace package may depend on it, not the service).
const packageName = (specifier) =>
  specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
const externals = {};
for (const [input, { imports }] of Object.entries(result.metafile.inputs)) {
  for (const { path, external } of imports) {
    if (!external || path.startsWith('node:')) continue;
    const name = packageName(path);
    let packageDir = null;
    try {
      const entryFile = createRequire(resolve(serviceDir, input)).resolve(path);
      packageDir = dirname(findPackageJson(entryFile, name));
    } catch {
      // not installed: an optional module, loaded only when present
    }
    if (!packageDir) {
      if (NATIVE.includes(name))
        throw new Error(`${input} imports the native module ${name}, which is not installed`);
      continue;
    }
    const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
    const found = { version, path: relative(serviceDir, realpathSync(packageDir)) };
    if (externals[name] && externals[name].path !== found.path) {
      throw new Error(`external ${name} resolves to two installs (${externals[name].path}, ${found.path})`);
    }
    externals[name] = found;
  }
}

writeFileSync(join(outdir, 'meta.json'), JSON.stringify(result.metafile));
writeFileSync(join(outdir, 'externals.json'), `${JSON.stringify(externals, null, 2)}\n`);

const bytes =
  result.metafile.outputs[Object.keys(result.metafile.outputs).find((o) => o.endsWith('.mjs'))].bytes;
console.log(
  `${manifest.name}: ${resolve(outfile)} ${(bytes / 1024 / 1024).toFixed(1)} MiB in ${Date.now() - started} ms; ` +
    `externals shipped: ${
      Object.entries(externals)
        .map(([name, { version }]) => `${name}@${version}`)
        .join(', ') || 'none'
    }`,
);

/** Walks up from a resolved entry file to the package.json of the package called `name`. */
function findPackageJson(file, name) {
  let dir = dirname(file);
  for (;;) {
    const candidate = join(dir, 'package.json');
    try {
      if (JSON.parse(readFileSync(candidate, 'utf8')).name !== undefined && dir.includes('node_modules')) {
        return candidate;
      }
    } catch {
      // no package.json here
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json for ${name} above ${file}`);
    dir = parent;
  }
}

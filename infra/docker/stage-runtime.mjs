#!/usr/bin/env node
// Stages a service's runtime files for its image: the bundle (dist/main.mjs and its source map)
// and what the bundle leaves out - the packages listed in <service>/dist/externals.json (written
// by bundle.mjs) with their runtime dependency closure, as installed from the frozen lockfile,
// copied into <dest>/node_modules as plain directories (symlinks resolved). The result is a
// minimal node_modules: native addons, their loaders, nothing else. The workspace's config/
// goes to <dest>/config, where the bundle looks for its settings file unless CHAT_CONFIG is set.
// <dest> is what the image's /app holds, so it runs the same way outside a container:
//
//   node infra/docker/stage-runtime.mjs services/message /out
//   node /out/dist/main.mjs
//
// Build leftovers of native addons (object files, static libraries, vendored C sources) and the
// prebuilt binaries of other platforms are not copied. Ends by loading every external from
// <dest>/dist, where the bundle will run, so a missing file or an addon that does not load on
// this Node fails the build rather than the first start.
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import process from 'node:process';

const [serviceArg, destArg] = process.argv.slice(2);
if (!serviceArg || !destArg) {
  console.error('usage: stage-runtime.mjs <service-dir> <dest-dir>');
  process.exit(2);
}
const serviceDir = resolve(serviceArg);
const dest = resolve(destArg);
const destRoot = join(dest, 'node_modules');
const externals = JSON.parse(readFileSync(join(serviceDir, 'dist/externals.json'), 'utf8'));

/** Dependencies that only run at install time (they fetch or build the binary). */
const INSTALL_ONLY = { 'better-sqlite3': ['prebuild-install'] };

const currentBinary = `${process.platform}_${process.arch}_${process.versions.modules}`;
/** Paths (relative to a package root, '/'-separated) that are not needed at run time. */
const PRUNE = [
  /^node_modules(\/|$)/, // dependencies are placed by the closure walk below
  /^build\/(Release|Debug)\/(obj|obj\.target|\.deps)(\/|$)/,
  /^build\/(Release|Debug)\/.*\.a$/,
  /^build\/(Release|Debug)\/test_extension\.node$/,
  /^build\/(Makefile|config\.gypi|.*\.mk)$/,
];
const PRUNE_BY_PACKAGE = {
  'better-sqlite3': [/^(deps|src)(\/|$)/],
  // uWebSockets.js mirrors ship one binary per platform, arch and Node ABI: keep this one
  // (its dist/ holds stray copies of some binaries, never loaded: src/uws.js reads binaries/).
  'uWebSockets.js': [
    new RegExp(`^binaries/uws_(?!${currentBinary}\\.node$).*\\.node$`),
    /^dist\/.*\.node$/,
    /^docs(\/|$)/,
  ],
};

/** Node's lookup: the first node_modules/<name> at or above `fromDir`, resolved to its real path. */
const locate = (name, fromDir) => {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    if (basename(dir) !== 'node_modules') {
      const candidate = join(dir, 'node_modules', name);
      if (existsSync(join(candidate, 'package.json'))) return realpathSync(candidate);
    }
    if (dirname(dir) === dir) return null;
  }
};

const placed = new Map(); // dest dir -> real source dir
const shipped = [];

const place = (name, sourceDir, parentDest) => {
  const manifest = JSON.parse(readFileSync(join(sourceDir, 'package.json'), 'utf8'));
  // Hoist to the top level unless another version already lives there.
  let dest = join(destRoot, name);
  if (placed.has(dest) && placed.get(dest) !== sourceDir) dest = join(parentDest, 'node_modules', name);
  if (placed.get(dest) === sourceDir) return;
  placed.set(dest, sourceDir);

  const prune = [...PRUNE, ...(PRUNE_BY_PACKAGE[name] ?? [])];
  cpSync(sourceDir, dest, {
    recursive: true,
    dereference: true,
    filter: (source) => {
      const rel = relative(sourceDir, source).split(sep).join('/');
      return rel === '' || !prune.some((pattern) => pattern.test(rel));
    },
  });
  shipped.push(`${name}@${manifest.version}`);

  const skip = new Set(INSTALL_ONLY[name] ?? []);
  const dependencies = { ...manifest.optionalDependencies, ...manifest.dependencies };
  for (const dependency of Object.keys(dependencies)) {
    if (skip.has(dependency)) continue;
    const dependencyDir = locate(dependency, sourceDir);
    if (!dependencyDir) {
      if (dependency in (manifest.optionalDependencies ?? {})) continue; // optional, not installed
      throw new Error(`${name} depends on ${dependency}, which is not installed`);
    }
    place(dependency, dependencyDir, dest);
  }
};

mkdirSync(join(dest, 'dist'), { recursive: true });
for (const file of ['main.mjs', 'main.mjs.map']) {
  const source = join(serviceDir, 'dist', file);
  if (existsSync(source)) cpSync(source, join(dest, 'dist', file));
  else if (file === 'main.mjs') throw new Error(`${source} not found: run the service's build first`);
}

for (const [name, { path }] of Object.entries(externals)) {
  const sourceDir = resolve(serviceDir, path);
  if (!existsSync(join(sourceDir, 'package.json')))
    throw new Error(`external ${name} is not installed at ${sourceDir}`);
  place(name, realpathSync(sourceDir), destRoot);
}

// The settings file (and whatever else config/ holds) from the workspace root.
const workspaceRoot = (() => {
  for (let dir = serviceDir; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no pnpm-workspace.yaml above ${serviceDir}`);
  }
})();
cpSync(join(workspaceRoot, 'config'), join(dest, 'config'), { recursive: true });

// Every external must load from where the bundle runs. uWebSockets.js falls back to a slow
// JavaScript implementation when its binary does not load, so its binary is loaded directly.
const requireFromBundle = createRequire(join(dest, 'dist', 'main.mjs'));
for (const name of Object.keys(externals)) {
  if (name === 'uWebSockets.js') {
    requireFromBundle(
      join(dirname(requireFromBundle.resolve(name)), `../binaries/uws_${currentBinary}.node`),
    );
  } else {
    requireFromBundle(name);
  }
}

const size = (path) =>
  statSync(path).isDirectory()
    ? readdirSync(path).reduce((total, entry) => total + size(join(path, entry)), 0)
    : statSync(path).size;
const mib = (path) => (existsSync(path) ? size(path) / 1024 / 1024 : 0).toFixed(1);
console.log(
  `staged ${dest}: dist ${mib(join(dest, 'dist'))} MiB, node_modules ${mib(destRoot)} MiB ` +
    `(${shipped.join(', ') || 'no packages'})`,
);

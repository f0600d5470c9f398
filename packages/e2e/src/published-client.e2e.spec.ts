import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { REPO_ROOT } from '@chat/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUDGET_GZIP_BYTES, measureImport, TYPICAL_IMPORT } from '@chat/client/bundle-size';
import { startEmbeddedHarness } from './embedded';
import type { Harness } from './harness';

/**
 * The artifact users install, not the workspace's sources: `pnpm pack` (which builds it), the
 * tarball installed with npm into an empty project outside the workspace (its peer `ws` comes from
 * the npm registry), and an app there that talks to the platform.
 */
const run = promisify(execFile);
const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const MINUTE = 60_000;

describe('@chat/client as published', () => {
  let h: Harness;
  const app = mkdtempSync(join(tmpdir(), 'chat-client-app-'));
  beforeAll(async () => {
    h = await startEmbeddedHarness();
    await run('pnpm', ['pack', '--pack-destination', app], { cwd: join(REPO_ROOT, 'packages/client') });
    const tarball = readdirSync(app).find((name) => name.endsWith('.tgz'))!;
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({
        private: true,
        type: 'module',
        dependencies: { '@chat/client': `file:./${tarball}`, ws: '^8' },
      }),
    );
    await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts'], {
      cwd: app,
      timeout: 2 * MINUTE,
    });
  }, 3 * MINUTE);
  afterAll(async () => {
    await h?.stop();
    rmSync(app, { recursive: true, force: true });
  });

  it('ships its build, its types and its README, with no workspace package in its dependencies', async () => {
    const { stdout } = await run('npm', ['ls', '--all', '--json'], { cwd: app });
    const installed = JSON.parse(stdout).dependencies['@chat/client'];
    // Its peers only: `ws` for Node, `ts-mls` (and the hash functions it imports) for `@chat/client/mls`.
    expect(Object.keys(installed.dependencies ?? {}).sort()).toEqual(['@noble/hashes', 'ts-mls', 'ws']);
    const files = readdirSync(join(app, 'node_modules/@chat/client'), { recursive: true }).map(String);
    expect(files).toEqual(
      expect.arrayContaining(['README.md', 'dist/index.js', 'dist/index.js.map', 'dist/index.d.ts']),
    );
    expect(files.filter((file) => file.startsWith('src'))).toEqual([]);
  });

  it('loads with require() too, as Node 20.19+ loads an ES module', async () => {
    const script = "process.stdout.write(typeof require('@chat/client').ChatClient)";
    const { stdout } = await run(process.execPath, ['--no-warnings', '-e', script], { cwd: app });
    expect(stdout).toBe('function');
  });

  it(
    'connects, joins, sends, receives and resumes from an app of its own',
    async () => {
      copyFileSync(here('./published-client/consumer.mjs'), join(app, 'consumer.mjs'));
      const { stdout } = await run(process.execPath, ['consumer.mjs'], {
        cwd: app,
        timeout: MINUTE,
        env: {
          ...process.env,
          CHAT_URL: h.wsUrl,
          ALICE_TOKEN: await h.token('alice'),
          BOB_TOKEN: await h.token('bob'),
        },
      });
      expect(JSON.parse(stdout)).toEqual({
        received: [
          { seq: 1, content: 'one' },
          { seq: 2, content: 'two' },
          { seq: 3, content: 'three' },
          { seq: 4, content: 'back' },
        ],
        ack_seq: 4,
        connections: 2,
      });
      // A process of its own on a machine busy with the other suites: its own minute, not the default 30 s.
    },
    2 * MINUTE,
  );

  it('type-checks an app compiled with Node’s own module resolution', async () => {
    copyFileSync(here('./published-client/types.ts'), join(app, 'types.ts'));
    const compilerOptions = {
      module: 'nodenext',
      moduleResolution: 'nodenext',
      target: 'es2022',
      lib: ['es2022', 'dom'],
      types: [],
      strict: true,
      noEmit: true,
    };
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['types.ts'] }));
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    await expect(run(process.execPath, [tsc, '-p', app], { cwd: app })).resolves.toBeDefined();
  });

  it(`adds at most ${BUDGET_GZIP_BYTES / 1024} KiB (minified + gzip) to an app's bundle`, async () => {
    const size = await measureImport(TYPICAL_IMPORT, app);
    expect(size.gzipped).toBeLessThanOrEqual(BUDGET_GZIP_BYTES);
  });
});

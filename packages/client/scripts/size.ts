import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUDGET_GZIP_BYTES, measureImport, TYPICAL_IMPORT } from './bundle-size';

/**
 * `pnpm --filter @chat/client size [--peers]`: this client's size for a typical import and, with
 * `--peers`, the same measure of the clients it is compared with, installed from the npm registry
 * into a scratch project outside the workspace. The README's table is this script's output.
 */
const PEERS = [
  {
    name: 'socket.io-client',
    source: `import { io } from 'socket.io-client';\nexport const socket = io('http://localhost:8000');\n`,
  },
  {
    name: 'centrifuge',
    source: `import { Centrifuge } from 'centrifuge';\nexport const client = new Centrifuge('ws://localhost:8000/connection/websocket');\n`,
  },
];

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const row = (name: string, version: string, size: { minified: number; gzipped: number }) =>
  `| ${name} ${version} | ${kib(size.minified)} | ${kib(size.gzipped)} |`;

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const ours = await measureImport(TYPICAL_IMPORT, packageDir);
const lines = [
  '| client | minified | minified + gzip |',
  '| --- | --- | --- |',
  row('@chat/client', '', ours),
];

if (process.argv.includes('--peers')) {
  const scratch = mkdtempSync(join(tmpdir(), 'chat-client-peers-'));
  try {
    writeFileSync(join(scratch, 'package.json'), '{ "private": true, "type": "module" }');
    execFileSync('npm', ['install', '--no-audit', '--no-fund', ...PEERS.map((peer) => peer.name)], {
      cwd: scratch,
      stdio: 'ignore',
    });
    for (const peer of PEERS) {
      const { version } = JSON.parse(
        execFileSync('npm', ['ls', peer.name, '--json'], { cwd: scratch, encoding: 'utf8' }),
      ).dependencies[peer.name];
      lines.push(row(peer.name, version, await measureImport(peer.source, scratch)));
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
process.stdout.write(`${lines.join('\n')}\n\nbudget for @chat/client: ${kib(BUDGET_GZIP_BYTES)} gzipped\n`);
process.exitCode = ours.gzipped <= BUDGET_GZIP_BYTES ? 0 : 1;

import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ServerFrame } from '@chat/contracts';
import { REPO_ROOT, TestSocket } from '@chat/testkit';

/** The address the README's examples are written for. */
const README_ADDRESS = 'localhost:8000';

const bashBlocks = (): string[] =>
  [...readFileSync(join(REPO_ROOT, 'README.md'), 'utf8').matchAll(/```bash\n([\s\S]*?)```/g)].map(
    ([, block]) => block!,
  );

/** A line of the Quick Start's wscat session: a frame the reader types (`>`) or one they see (`<`). */
type TranscriptLine = { direction: '>' | '<'; json: string };

/** The Quick Start: the command that makes `$TOKEN`, and the WebSocket session that follows. */
export const quickStart = (): { tokenCommand: string; transcript: TranscriptLine[] } => {
  const block = bashBlocks().find((candidate) => candidate.includes('wscat -c ws://'));
  if (!block) throw new Error('README: no Quick Start (a wscat session) found');
  const lines = block.split('\n');
  const tokenCommand = /^TOKEN=\$\((.*)\)$/.exec(lines.find((line) => line.startsWith('TOKEN=')) ?? '')?.[1];
  if (!tokenCommand) throw new Error('README: the Quick Start does not set TOKEN=$(…)');
  const transcript = lines.flatMap((line) => {
    const match = /^([<>]) (.*)$/.exec(line);
    return match ? [{ direction: match[1] as '>' | '<', json: match[2]! }] : [];
  });
  return { tokenCommand, transcript };
};

/**
 * Whether a frame is what the README shows: every field shown has its value, where `"…"` stands
 * for any value and `"msg_…"` for any string with that start.
 */
export const matchesShown = (shown: unknown, actual: unknown): boolean => {
  if (typeof shown === 'string' && shown.endsWith('…')) {
    return shown === '…'
      ? actual !== undefined
      : typeof actual === 'string' && actual.startsWith(shown.slice(0, -1));
  }
  if (Array.isArray(shown)) {
    return (
      Array.isArray(actual) &&
      actual.length === shown.length &&
      shown.every((item, i) => matchesShown(item, actual[i]))
    );
  }
  if (shown !== null && typeof shown === 'object') {
    return (
      actual !== null &&
      typeof actual === 'object' &&
      Object.entries(shown).every(([key, value]) =>
        matchesShown(value, (actual as Record<string, unknown>)[key]),
      )
    );
  }
  return shown === actual;
};

/** A command of the README in bash, not blocking this process (which may be the platform itself). */
const run = async (command: string, env: Record<string, string>) =>
  (
    await promisify(execFile)('bash', ['-c', command], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      encoding: 'utf8',
      timeout: 30_000,
    })
  ).stdout;

/**
 * Runs the Quick Start as a reader would against `address` (`localhost:<port>`): the token command
 * (with `env`, e.g. the platform's JWT_SECRET_KEY), then the wscat session frame by frame, each
 * frame received checked against the one shown. Returns the token and the frames received.
 */
export const runQuickStart = async (address: string, env: Record<string, string> = {}) => {
  const { tokenCommand, transcript } = quickStart();
  const token = (await run(tokenCommand, env)).trim();
  const socket = await TestSocket.open(`ws://${address}/ws`);
  const received: ServerFrame[] = [];
  try {
    for (const { direction, json } of transcript) {
      if (direction === '>') {
        socket.send(json.replace('<paste $TOKEN>', token));
        continue;
      }
      const frame = await socket.next(() => true, 10_000, received.length);
      received.push(frame);
      if (!matchesShown(JSON.parse(json), frame)) {
        throw new Error(`README shows ${json}\nthe platform sent ${JSON.stringify(frame)}`);
      }
    }
  } finally {
    socket.close();
  }
  return { token, received };
};

/** A README command as run, with the HTTP status curl saw. */
export interface CurlRun {
  command: string;
  status: number;
  body: string;
}

/**
 * Runs every curl example of the README against `address`, block by block, with `$TOKEN` set.
 * `<message_id>` is a message of `general` that `messageFor(blockIndex)` provides (the Quick
 * Start's for the first block, a fresh one for later blocks: the first block deletes its own).
 */
export const runCurlExamples = async (
  address: string,
  token: string,
  messageFor: (blockIndex: number) => Promise<string>,
): Promise<CurlRun[]> => {
  const blocks = bashBlocks().filter((block) =>
    /^curl .*localhost:8000/m.test(block.replaceAll('\\\n', ' ')),
  );
  const runs: CurlRun[] = [];
  for (const [index, block] of blocks.entries()) {
    const messageId = block.includes('<message_id>') ? await messageFor(index) : '';
    const commands = block
      .replaceAll('\\\n', ' ')
      .split('\n')
      .filter((line) => line.startsWith('curl '));
    for (const command of commands) {
      const filled = command.replaceAll(README_ADDRESS, address).replaceAll('<message_id>', messageId);
      const unfilled = /<[a-z_]+>/.exec(filled.replace(/#.*$/, ''));
      if (unfilled)
        throw new Error(`README example with a placeholder no test fills (${unfilled[0]}): ${command}`);
      const output = await run(filled.replace(/^curl /, `curl -w '\\n%{http_code}' `), { TOKEN: token });
      const lines = output.split('\n');
      runs.push({ command, status: Number(lines.at(-1)), body: lines.slice(0, -1).join('\n') });
    }
  }
  return runs;
};

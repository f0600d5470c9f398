import { spawn } from 'node:child_process';
import { startEmbeddedHarness } from '@chat/e2e/embedded';
import type { Harness } from '@chat/e2e/harness';
import { REPO_ROOT } from '@chat/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';

let h: Harness;
beforeAll(async () => {
  h = await startEmbeddedHarness();
});
afterAll(() => h?.stop());

/** The chat as a person runs it in a terminal: lines typed in, lines printed out. */
const terminal = async (userId: string) => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'examples/cli-chat/src/main.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, CHAT_URL: h.wsUrl, CHAT_TOKEN: await h.token(userId) },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let screen = '';
  child.stdout.on('data', (chunk: Buffer) => (screen += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (screen += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return {
    type: (line: string) => child.stdin.write(`${line}\n`),
    screen: () => screen,
    exited,
    kill: () => child.kill(),
  };
};

it('chats between two terminals, shows typing, and quits on /quit', async () => {
  const [alice, bob] = await Promise.all([terminal('alice'), terminal('bob')]);
  try {
    for (const person of [alice, bob]) {
      await expect.poll(person.screen, { timeout: 15_000 }).toContain('connected as');
      person.type('/join general');
      await expect.poll(person.screen, { timeout: 10_000 }).toContain('* joined general');
    }
    alice.type('hi bob');
    await expect.poll(alice.screen, { timeout: 10_000 }).toMatch(/\* sent #1/);
    await expect.poll(bob.screen, { timeout: 10_000 }).toContain('[general #1] alice: hi bob');
    expect(bob.screen()).toContain('* alice is typing in general');
    bob.type('/quit');
    expect(await bob.exited, bob.screen()).toBe(0);
  } finally {
    alice.kill();
    bob.kill();
  }
});

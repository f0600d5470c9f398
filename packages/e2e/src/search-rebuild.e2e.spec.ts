import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { eventually, freePort, startProcess, waitForReady, type RunningProcess } from '@chat/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harnessOver, TEST_SECRET, type Harness } from './harness';

/** Runs a command of this repo to its end; resolves with its exit code and output. */
const runToEnd = async (entry: string, env: NodeJS.ProcessEnv) => {
  const command = startProcess(entry, env);
  const code = await new Promise<number | null>((resolve) => command.child.once('exit', resolve));
  return { code, output: command.output() };
};

describe('search index rebuilt from the event store', () => {
  let dataDir: string;
  let port: number;
  let server: RunningProcess;
  let h: Harness;
  // The embedded layout only, even where the environment names real servers for other suites.
  const env = () => ({
    DATA_DIR: dataDir,
    JWT_SECRET_KEY: TEST_SECRET,
    LOG_LEVEL: 'warn',
    ELASTICSEARCH_URL: '',
    EVENTSTORE_URL: '',
  });
  const start = async () => {
    server = startProcess('services/embedded/src/main.ts', {
      ...env(),
      PORT: String(port),
      HOST: '127.0.0.1',
    });
    await waitForReady(`http://127.0.0.1:${port}/readyz`, server, 60_000);
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(joinPath(tmpdir(), 'chat-search-rebuild-'));
    port = await freePort();
    await start();
    h = harnessOver({ wsUrls: [], apiUrl: `http://127.0.0.1:${port}`, stop: async () => {} });
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('gives the same results after `pnpm search:rebuild` from an empty index', async () => {
    const post = async (user: string, roomId: string, content: string) =>
      (await h.api(user, 'POST', `/api/rooms/${roomId}/messages`, { content })).body as {
        message_id: string;
      };
    const room = async (owner: string, members: string[], isPrivate: boolean) =>
      (await h.api(owner, 'POST', '/api/rooms', { name: 'rebuild', private: isPrivate, members })).body
        .room_id as string;
    const open = await room('tara', ['uma'], false);
    const secret = await room('uma', ['vic'], true);
    await post('tara', open, 'orchid one');
    const typo = await post('uma', open, 'orchd two');
    const gone = await post('tara', open, 'orchid three, to be deleted');
    await post('uma', secret, 'orchid four orchid, secret');
    await post('vic', secret, 'orchid five');
    await h.api('uma', 'PATCH', `/api/rooms/${open}/messages/${typo.message_id}`, { content: 'orchid two' });
    await h.api('tara', 'DELETE', `/api/rooms/${open}/messages/${gone.message_id}`);
    await h.api('uma', 'DELETE', `/api/rooms/${secret}/members/vic`);

    const searches: Record<string, string>[] = [
      { q: 'orchid' },
      { q: 'orchid', sort: 'relevance' },
      { q: 'orchid', room_id: secret },
      { q: 'orchid two' },
    ];
    const results = async () => {
      const answers: unknown[] = [];
      for (const user of ['tara', 'uma', 'vic']) {
        for (const params of searches) {
          const response = await h.api(user, 'GET', `/api/search/messages?${new URLSearchParams(params)}`);
          answers.push({ user, params, status: response.status, body: response.body });
        }
      }
      return answers;
    };
    const live = await eventually(async () => {
      const answers = await results();
      // uma's rooms hold four matching messages: one, two (edited), four and five.
      expect(answers[4]).toMatchObject({ user: 'uma', body: { hits: Array(4).fill(expect.anything()) } });
      return answers;
    });

    await server.stop();
    for (const file of ['index.db', 'index.db-wal', 'index.db-shm']) {
      rmSync(joinPath(dataDir, 'search', file), { force: true });
    }
    const rebuild = await runToEnd('services/search/src/rebuild-main.ts', env());
    expect(rebuild, rebuild.output).toMatchObject({ code: 0 });
    await start();

    expect(await results()).toEqual(live);
    await post('tara', open, 'orchid after the rebuild');
    await eventually(async () => {
      const found = await h.api('tara', 'GET', '/api/search/messages?q=after+rebuild');
      expect(found.body.hits).toHaveLength(1);
    });
  }, 180_000);
});

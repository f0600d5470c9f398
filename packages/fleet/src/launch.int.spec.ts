import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { launchFleet, runDirOf } from './launch';
import { isAlive } from './processes';
import { readFleetState } from './state';

describe('a fleet whose process dies while starting', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'chat-fleet-launch-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('fails with the name of the process and the tail of its log, and leaves nothing running', async () => {
    const launched = launchFleet({
      dataDir,
      namespace: 'launch_test',
      edgePort: 0,
      gateways: 1,
      // Every service refuses a secret this short at start-up.
      env: { JWT_SECRET_KEY: 'too-short' },
    });
    const failure = await launched.then(
      () => null,
      (error: Error) => error,
    );
    expect(failure?.message).toMatch(/^(message|search|media|notification|presence) exited while starting/);
    expect(failure?.message).toContain(`last lines of ${join(runDirOf(dataDir), 'logs')}`);
    expect(failure?.message).toContain('JWT_SECRET_KEY must be at least 32 bytes');
    const recorded = readFleetState(runDirOf(dataDir))!.processes;
    expect(recorded.map(({ name }) => name).sort()).toEqual([
      'media',
      'message',
      'notification',
      'presence',
      'search',
    ]);
    expect(recorded.filter(({ pid }) => isAlive(pid))).toEqual([]);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedBus } from '@chat/bus/embedded';
import { roomStream, Topics, topicSpecs, type CommandRecord } from '@chat/contracts';
import { keyIdOf, periodOf } from '@chat/privacy';
import { SqliteKeyStore } from '@chat/privacy/sqlite';
import { cipherInMemory } from '@chat/privacy/testing';
import { createLogger } from '@chat/runtime';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReadModelChange } from '../read-model/port';
import { SqliteReadModel } from '../read-model/sqlite-read-model';
import { DAY_MS } from './decide';
import { cipherShredder } from './cipher-shredder';
import { sweepOnce, type RetentionSweepDeps } from './sweeper';

const T0 = Date.parse('2024-05-01T00:00:00.000Z');
const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
/** A day and two and a half minutes after T0: under the default day, messages of minutes 1 and 2 are old. */
const NOW = T0 + DAY_MS + 2.5 * MINUTE_MS;

describe('the retention sweep', () => {
  let directory: string;
  let readModel: SqliteReadModel;
  let bus: EmbeddedBus;
  let keys: SqliteKeyStore;
  let deps: RetentionSweepDeps;

  beforeEach(async () => {
    directory = mkdtempSync(join(tmpdir(), 'retention-sweep-'));
    readModel = SqliteReadModel.open(join(directory, 'read.db'));
    bus = EmbeddedBus.open(join(directory, 'bus.db'));
    await bus.ensureTopics(topicSpecs(Topics.messageCommands));
    keys = SqliteKeyStore.open(join(directory, 'keys.db'));
    deps = {
      bus,
      readModel,
      keys: cipherShredder(await cipherInMemory(keys), HOUR_MS),
      policy: { default_days: 1, min_days: 0.1, max_days: 10 },
      maxRooms: 2,
      now: () => NOW,
      logger: createLogger('retention-sweep-spec', 'silent'),
    };
  });
  afterEach(async () => {
    await bus.close();
    await readModel.close();
    await keys.close();
    rmSync(directory, { recursive: true, force: true });
  });

  /** A room with messages 1..3 created at minutes 1..3 after T0, and its own retention if given. */
  const room = async (roomId: string, retentionDays: number | null = null) => {
    const changes: ReadModelChange[] = [
      {
        kind: 'room_created',
        room_id: roomId,
        name: roomId,
        private: false,
        owner_id: 'ann',
        created_at: new Date(T0).toISOString(),
        room_kind: 'group',
      },
      { kind: 'room_retention_changed', room_id: roomId, retention_days: retentionDays },
      ...[1, 2, 3].map((seq): ReadModelChange => ({
        kind: 'message_added',
        message: {
          room_id: roomId,
          message_id: `${roomId}-m${seq}`,
          seq,
          sender_id: 'ann',
          content: `message ${seq}`,
          message_type: 'text',
          client_msg_id: null,
          created_at: new Date(T0 + seq * MINUTE_MS).toISOString(),
        },
      })),
    ];
    await readModel.applyBatch([{ at: { stream: roomStream(roomId), revision: 0 }, changes }]);
  };

  const key = async (roomId: string, at: number) => {
    const ref = { scope: roomId, user_id: 'ann', period: periodOf(at, HOUR_MS) };
    const key_id = keyIdOf(ref);
    await keys.getOrCreate({ key_id, ...ref, kek_id: 'kek-a', wrapped: 'wrapped' });
    return key_id;
  };

  const published = async (): Promise<CommandRecord[]> => {
    const records: CommandRecord[] = [];
    const consumer = await bus.consume({
      groupId: `read-${crypto.randomUUID()}`,
      topics: [Topics.messageCommands],
      handleBatch: async (batch) => {
        records.push(...batch.records.map((record) => JSON.parse(record.value) as CommandRecord));
      },
    });
    await consumer.caughtUp(5_000);
    await consumer.stop();
    return records.sort((a, b) => a.context.command_id.localeCompare(b.context.command_id));
  };

  it('asks each room’s writer to expire what its retention leaves behind, a bounded number of rooms per sweep', async () => {
    await room('r1');
    await room('r2', 0.5);
    await room('r3', 5);
    const first = await sweepOnce(deps, null);
    expect(first).toMatchObject({ next: 'r2', expiring: 2 });
    const cutoffOf = (days: number) => new Date(NOW - days * DAY_MS).toISOString();
    expect((await published()).map(({ context, command }) => ({ key: context.command_id, command }))).toEqual(
      [
        {
          key: 'retention:r1:2',
          command: { type: 'ExpireHistory', data: { room_id: 'r1', through_seq: 2, cutoff: cutoffOf(1) } },
        },
        {
          key: 'retention:r2:3',
          command: { type: 'ExpireHistory', data: { room_id: 'r2', through_seq: 3, cutoff: cutoffOf(0.5) } },
        },
      ],
    );
    // The next sweep goes on after r2: r3 keeps its messages five days, none is old.
    expect(await sweepOnce(deps, first.next)).toEqual({ next: null, expiring: 0, keysDestroyed: 0 });
  });

  it('asks nothing again for what is expired already', async () => {
    await room('r1');
    await readModel.applyBatch([
      {
        at: { stream: roomStream('r1'), revision: 1 },
        changes: [{ kind: 'history_expired', room_id: 'r1', through_seq: 2 }],
      },
    ]);
    expect(await sweepOnce(deps, null)).toMatchObject({ expiring: 0 });
    expect(await published()).toEqual([]);
  });

  it('destroys the keys of the periods that ended before each room’s cutoff', async () => {
    await room('r1');
    await room('r2', 5);
    const old = await key('r1', T0 - HOUR_MS);
    const current = await key('r1', T0);
    const otherRoom = await key('r2', T0 - HOUR_MS);
    expect(await sweepOnce(deps, null)).toMatchObject({ keysDestroyed: 1 });
    expect((await keys.get(old)).status).toBe('gone');
    expect((await keys.get(current)).status).toBe('live');
    expect((await keys.get(otherRoom)).status).toBe('live');
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deadLetterTopic } from '@chat/bus';
import { EmbeddedBus } from '@chat/bus/embedded';
import { Topics, topicSpecs, type RoomAccess } from '@chat/contracts';
import { eventually } from '@chat/testkit';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { refuseNonMember } from './rule';
import { SqliteRoomAccessStore } from './store/sqlite-store';
import { startRoomAccessView, type RoomAccessView } from './view';

const logger = pino({ level: 'silent' });
const T = '2024-05-01T10:00:00.000Z';

const access = (
  roomId: string,
  revision: number,
  members: string[],
  more: Partial<RoomAccess> = {},
): RoomAccess => ({
  room_id: roomId,
  kind: 'group',
  private: true,
  deleted: false,
  owner_id: members[0] ?? 'nobody',
  members: members.map((user_id, index) => ({
    user_id,
    role: index === 0 ? 'owner' : 'member',
    joined_at: T,
    joined_after_seq: 0,
  })),
  revision,
  ...more,
});

describe('the room access view on the embedded bus', () => {
  let dir: string;
  let bus: EmbeddedBus;
  const views: RoomAccessView[] = [];

  const publish = (...records: RoomAccess[]) =>
    bus.publish(
      Topics.roomAccess,
      records.map((record) => ({ key: record.room_id, value: JSON.stringify(record) })),
    );
  const open = async (reader = 'test', store = SqliteRoomAccessStore.open(':memory:')) => {
    const view = await startRoomAccessView({ bus, store, reader, logger });
    views.push(view);
    return view;
  };
  const member = (userId: string) => (room: Parameters<typeof refuseNonMember>[0]) =>
    refuseNonMember(room, { userId, isAdmin: false });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'room-access-view-'));
    bus = EmbeddedBus.open(join(dir, 'bus.db'));
    await bus.ensureTopics(topicSpecs(Topics.roomAccess));
  });
  afterEach(async () => {
    await Promise.all(views.splice(0).map((view) => view.stop()));
    await bus.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('holds the newest state of every room once started, and is ready then', async () => {
    await publish(access('r1', 1, ['ann']), access('r2', 3, ['bob', 'cy']), access('r1', 4, ['ann', 'dee']));
    const view = await open();
    expect(view.notReady()).toEqual([]);
    expect((await view.get('r1'))?.members.map((m) => m.user_id)).toEqual(['ann', 'dee']);
    expect((await view.roomsOf('cy')).map((room) => room.room_id)).toEqual(['r2']);
  });

  it('confirms a refusal against what was published before the request: a member just added gets in', async () => {
    const view = await open();
    await publish(access('r1', 1, ['ann']));
    expect(await view.decide('r1', member('ann'))).toMatchObject({ refusal: null });
    await publish(access('r1', 2, ['ann', 'bob']));
    const decided = await view.decide('r1', member('bob'));
    expect(decided.refusal).toBeNull();
    expect(decided.access?.revision).toBe(2);
    expect((await view.decide('r1', member('eve'))).refusal?.code).toBe('room_not_found');
    expect((await view.decide('nowhere', member('ann'))).refusal?.code).toBe('room_not_found');
  });

  it('rebuilds a new, empty store from the compacted topic alone', async () => {
    await publish(access('r1', 1, ['ann']), access('r2', 1, ['bob']));
    const first = await open('service');
    await publish(access('r1', 2, ['ann', 'cy'], { private: false }));
    expect(await first.caughtUp(5_000)).toBe(true);
    const rebuilt = await open('service', SqliteRoomAccessStore.open(':memory:'));
    expect(await rebuilt.get('r1')).toMatchObject({ revision: 2, private: false });
    expect(await rebuilt.get('r2')).toMatchObject({ revision: 1 });
  });

  it('never lets an older record undo a newer one', async () => {
    const view = await open();
    await publish(access('r1', 5, ['ann', 'bob']), access('r1', 3, ['ann']));
    expect(await view.caughtUp(5_000)).toBe(true);
    expect((await view.get('r1'))?.revision).toBe(5);
  });

  it('dead-letters a record that is not a room access state, and reads on', async () => {
    const view = await open();
    await bus.publish(Topics.roomAccess, [{ key: 'r9', value: '{"room_id":"r9"}' }]);
    await publish(access('r9', 1, ['ann']));
    const dead: string[] = [];
    const deadLetters = await bus.consume({
      groupId: 'dead',
      topics: [deadLetterTopic(Topics.roomAccess)],
      handleBatch: async ({ records }) => void dead.push(...records.map((record) => record.key)),
    });
    await eventually(() => expect(dead).toEqual(['r9']), 10_000);
    expect(await view.get('r9')).toMatchObject({ revision: 1 });
    await deadLetters.stop();
  });
});

import type { EventRecord, RoomAccess } from '@chat/contracts';
import { describe, expect, it } from 'vitest';
import { reportCreatedOf } from './report-created';

const T = '2024-05-01T10:00:00.000Z';
const data = {
  room_id: 'r1',
  report_id: 'rpt_x',
  message_id: 'msg_1',
  seq: 1,
  sender_id: 'bob',
  reporter_id: 'carol',
  reason: 'rude',
  reported_at: T,
};
const record = (type: string): EventRecord => ({
  event_id: 'e1',
  type,
  stream: 'room-r1',
  revision: 9,
  data,
  metadata: { correlation_id: 'c', causation_id: 'c', actor_id: 'carol' },
  recorded_at: T,
});
const access: RoomAccess = {
  room_id: 'r1',
  kind: 'group',
  private: false,
  deleted: false,
  owner_id: 'alice',
  members: (['alice:owner', 'mo:moderator', 'bob:member', 'carol:member'] as const).map((each) => {
    const [user_id, role] = each.split(':') as [string, 'owner' | 'moderator' | 'member'];
    return { user_id, role, joined_at: T, joined_after_seq: 0 };
  }),
  revision: 8,
};

describe('report_created', () => {
  it('goes to the room’s owner and moderators only, with the report', () => {
    expect(reportCreatedOf(record('MessageReported'), access)).toEqual({
      frame: { type: 'report_created', ...data },
      moderators: ['alice', 'mo'],
    });
  });

  it('is nothing for other events, or a room this gateway does not know', () => {
    expect(reportCreatedOf(record('MessageSent'), access)).toBeNull();
    expect(reportCreatedOf(record('MessageReported'), null)).toBeNull();
  });
});

import type { EventRecord, MessageServiceEvent } from '@chat/contracts';
import { describe, expect, it } from 'vitest';
import { frameOf } from './event-frames';

const recordOf = ({ type, data }: MessageServiceEvent): EventRecord => ({
  event_id: 'e1',
  type,
  stream: 'room-r1',
  revision: 9,
  data,
  metadata: { correlation_id: 'c', causation_id: 'c', actor_id: 'carol' },
  recorded_at: '2024-05-01T10:00:00.000Z',
});

const about = { room_id: 'r1', message_id: 'msg_1', seq: 3, user_id: 'carol', emoji: '👍' };

describe('frames members see for reactions', () => {
  it('tells who added which emoji, and how many users now have it', () => {
    const added = recordOf({
      type: 'ReactionAdded',
      data: { ...about, count: 2, reacted_at: '2024-05-01T10:05:00.000Z' },
    });
    expect(frameOf(added)).toEqual({ type: 'reaction', ...about, action: 'add', count: 2 });
  });

  it('tells who removed one, with the count left', () => {
    const removed = recordOf({
      type: 'ReactionRemoved',
      data: { ...about, count: 0, removed_at: '2024-05-01T10:06:00.000Z' },
    });
    expect(frameOf(removed)).toEqual({ type: 'reaction', ...about, action: 'remove', count: 0 });
  });
});

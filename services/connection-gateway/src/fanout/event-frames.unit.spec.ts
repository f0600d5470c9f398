import type { EventRecord, MessageServiceEvent } from '@chat/contracts';
import { describe, expect, it } from 'vitest';
import { frameOf } from './event-frames';

const recordOf = ({ type, data }: MessageServiceEvent): EventRecord => ({
  event_id: 'e1',
  type,
  stream: 'room-r1',
  revision: 7,
  data,
  metadata: { correlation_id: 'c', causation_id: 'c', actor_id: 'alice' },
  recorded_at: '2024-05-01T10:00:00.000Z',
});

describe('frames members see for edits and deletions', () => {
  it('tells the new content of an edited message, by its id and seq', () => {
    const edited = recordOf({
      type: 'MessageEdited',
      data: {
        room_id: 'r1',
        message_id: 'msg_1',
        seq: 3,
        content: 'fixed',
        edit_id: 'edit_1',
        edited_at: '2024-05-01T10:05:00.000Z',
      },
    });
    expect(frameOf(edited)).toEqual({
      type: 'message_edited',
      room_id: 'r1',
      message_id: 'msg_1',
      seq: 3,
      content: 'fixed',
      edited_at: '2024-05-01T10:05:00.000Z',
    });
  });

  it('tells which message was deleted, and nothing of who deleted it', () => {
    const deleted = recordOf({
      type: 'MessageDeleted',
      data: {
        room_id: 'r1',
        message_id: 'msg_1',
        seq: 3,
        deleted_by: 'moderator',
        deleted_at: '2024-05-01T10:06:00.000Z',
      },
    });
    expect(frameOf(deleted)).toEqual({ type: 'message_deleted', room_id: 'r1', message_id: 'msg_1', seq: 3 });
  });

  it('tells up to which seq the room’s history expired, and nothing of the cutoff', () => {
    const expired = recordOf({
      type: 'RoomHistoryExpired',
      data: {
        room_id: 'r1',
        through_seq: 9,
        cutoff: '2024-02-01T10:00:00.000Z',
        expired_at: '2024-05-01T10:00:00.000Z',
      },
    });
    expect(frameOf(expired)).toEqual({ type: 'history_expired', room_id: 'r1', through_seq: 9 });
  });
});

describe('frames members see for threads', () => {
  it('names a reply’s root on its message frame', () => {
    const reply = recordOf({
      type: 'MessageSent',
      data: {
        room_id: 'r1',
        message_id: 'msg_2',
        seq: 4,
        sender_id: 'bob',
        content: 'a reply',
        message_type: 'text',
        client_msg_id: null,
        created_at: '2024-05-01T10:05:00.000Z',
        thread_id: 'msg_1',
      },
    });
    expect(frameOf(reply)).toMatchObject({
      type: 'message',
      message_id: 'msg_2',
      seq: 4,
      thread_id: 'msg_1',
    });
  });

  it('tells the root’s new thread summary', () => {
    const updated = recordOf({
      type: 'ThreadUpdated',
      data: {
        room_id: 'r1',
        message_id: 'msg_1',
        seq: 3,
        thread: { reply_count: 2, last_reply_at: '2024-05-01T10:05:00.000Z', participants: ['bob'] },
      },
    });
    expect(frameOf(updated)).toEqual({
      type: 'thread_updated',
      room_id: 'r1',
      message_id: 'msg_1',
      seq: 3,
      reply_count: 2,
      last_reply_at: '2024-05-01T10:05:00.000Z',
      participants: ['bob'],
    });
  });
});

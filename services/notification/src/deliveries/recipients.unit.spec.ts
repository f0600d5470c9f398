import type { RoomAccess } from '@chat/contracts';
import { describe, expect, it } from 'vitest';
import {
  ENCRYPTED_PREVIEW,
  isNews,
  membersWhenSent,
  PREVIEW_LENGTH,
  previewOf,
  recipientsOf,
} from './recipients';

describe('membersWhenSent', () => {
  const room = (deleted = false): RoomAccess => ({
    room_id: 'r1',
    kind: 'group',
    private: true,
    deleted,
    owner_id: 'alice',
    members: [
      { user_id: 'alice', role: 'owner', joined_at: '2024-05-01T10:00:00.000Z', joined_after_seq: 0 },
      { user_id: 'bob', role: 'member', joined_at: '2024-05-01T10:01:00.000Z', joined_after_seq: 4 },
      { user_id: 'carol', role: 'member', joined_at: '2024-05-01T10:02:00.000Z', joined_after_seq: 5 },
    ],
    revision: 3,
  });

  it('given a message, then the members who had joined before it', () => {
    expect(membersWhenSent(room(), 5)).toEqual(['alice', 'bob']);
    expect(membersWhenSent(room(), 6)).toEqual(['alice', 'bob', 'carol']);
  });

  it('given a room deleted since, or never seen, then nobody', () => {
    expect(membersWhenSent(room(true), 6)).toEqual([]);
    expect(membersWhenSent(null, 6)).toEqual([]);
  });
});

describe('recipientsOf', () => {
  it('notifies the members but the sender who are offline and have not muted the room', () => {
    expect(
      recipientsOf({
        members: ['alice', 'bob', 'carol', 'dave'],
        senderId: 'alice',
        online: new Set(['carol']),
        muted: new Set(['dave']),
        mentioned: new Set(),
      }),
    ).toEqual(['bob']);
  });

  it('given a member who muted the room, when a message mentions them while offline, then they are notified', () => {
    expect(
      recipientsOf({
        members: ['alice', 'bob', 'dave'],
        senderId: 'alice',
        online: new Set(),
        muted: new Set(['bob', 'dave']),
        mentioned: new Set(['dave']),
      }),
    ).toEqual(['dave']);
  });

  it('given a mentioned member who is online, or the sender mentioning themselves, then no push', () => {
    expect(
      recipientsOf({
        members: ['alice', 'bob'],
        senderId: 'alice',
        online: new Set(['bob']),
        muted: new Set(['bob']),
        mentioned: new Set(['alice', 'bob']),
      }),
    ).toEqual([]);
  });
});

describe('previewOf', () => {
  it('keeps short content, cuts long content without splitting a character', () => {
    expect(previewOf('hi', 'text')).toBe('hi');
    const long = '😀'.repeat(PREVIEW_LENGTH + 5);
    const preview = previewOf(long, 'text');
    expect([...preview]).toHaveLength(PREVIEW_LENGTH);
    expect(preview.endsWith('…')).toBe(true);
    expect(previewOf('', 'file', 'photo.png')).toBe('📎 photo.png');
    expect(previewOf('', 'mls')).toBe(ENCRYPTED_PREVIEW);
  });
});

describe('isNews', () => {
  it('pushes recent messages only, not history replayed by a rebuilt consumer', () => {
    const now = new Date('2024-05-01T10:00:00.000Z');
    expect(isNews('2024-05-01T09:59:00.000Z', now)).toBe(true);
    expect(isNews('2024-05-01T09:00:00.000Z', now)).toBe(false);
  });
});

import type { ChatMessage } from './wire';
import { describe, expect, it } from 'vitest';
import { RoomSubscriptions } from './room-subscriptions';

const message = (roomId: string, seq: number): ChatMessage => ({
  room_id: roomId,
  message_id: `${roomId}-${seq}`,
  seq,
  sender_id: 'alice',
  content: `message ${seq}`,
  message_type: 'text',
  created_at: '2025-01-01T00:00:00.000Z',
  client_msg_id: null,
});

describe('RoomSubscriptions', () => {
  it('writes one request at a time, a fresh join without last_seq', () => {
    const rooms = new RoomSubscriptions();
    rooms.join('a');
    rooms.join('b');
    expect(rooms.next()).toEqual({ type: 'join_room', room_id: 'a' });
    expect(rooms.next()).toBeNull();
    rooms.joined('a', 5);
    expect(rooms.next()).toEqual({ type: 'join_room', room_id: 'b' });
    rooms.joined('b', 0);
    expect(rooms.next()).toBeNull();
  });

  it('after a lost connection re-joins every room from the last seq it delivered', () => {
    const rooms = new RoomSubscriptions();
    rooms.join('a');
    rooms.next();
    rooms.joined('a', 5);
    expect(rooms.accept(message('a', 6)).map((m) => m.seq)).toEqual([6]);
    rooms.connectionLost();
    expect(rooms.next()).toEqual({ type: 'join_room', room_id: 'a', last_seq: 6 });
  });

  it('delivers a room only once its starting point is known, and nothing of rooms it does not track', () => {
    const rooms = new RoomSubscriptions();
    rooms.join('a');
    rooms.next();
    expect(rooms.accept(message('a', 3))).toEqual([]);
    expect(rooms.joined('a', 2).map((m) => m.seq)).toEqual([3]);
    expect(rooms.accept(message('elsewhere', 1))).toEqual([]);
  });

  it('reports a gap in a room until it fills', () => {
    const rooms = new RoomSubscriptions();
    rooms.join('a');
    rooms.next();
    rooms.joined('a', 0);
    rooms.accept(message('a', 2));
    expect(rooms.hasGap('a')).toBe(true);
    rooms.accept(message('a', 1));
    expect(rooms.hasGap('a')).toBe(false);
  });

  it('leaves after pending joins, and stops re-joining a room it left', () => {
    const rooms = new RoomSubscriptions();
    rooms.join('a');
    rooms.next();
    rooms.joined('a', 0);
    rooms.leave('a');
    expect(rooms.next()).toEqual({ type: 'leave_room', room_id: 'a' });
    rooms.left('a');
    rooms.connectionLost();
    expect(rooms.next()).toBeNull();
    expect(rooms.accept(message('a', 1))).toEqual([]);
  });

  it('joins again when asked to while its leave was in flight', () => {
    const rooms = new RoomSubscriptions();
    rooms.leave('a');
    rooms.next();
    rooms.join('a');
    rooms.left('a');
    expect(rooms.next()).toEqual({ type: 'join_room', room_id: 'a' });
  });

  it('asks again for a room already joined on this connection, for a fresh room_joined', () => {
    const rooms = new RoomSubscriptions();
    rooms.join('a');
    rooms.next();
    rooms.joined('a', 4);
    rooms.join('a');
    expect(rooms.next()).toEqual({ type: 'join_room', room_id: 'a', last_seq: 4 });
  });

  it('forgets a room the server ended on its own', () => {
    const rooms = new RoomSubscriptions();
    rooms.join('a');
    rooms.next();
    rooms.joined('a', 0);
    rooms.left('a');
    rooms.connectionLost();
    expect(rooms.next()).toBeNull();
  });

  it('holds a retryable refusal in flight until retry, counting attempts', () => {
    const rooms = new RoomSubscriptions();
    rooms.join('a');
    rooms.join('b');
    rooms.next();
    expect(rooms.inFlightOf('join_room')).toEqual({ type: 'join_room', room_id: 'a' });
    expect(rooms.inFlightOf('leave_room')).toBeNull();
    expect([rooms.refusedForNow(), rooms.refusedForNow()]).toEqual([0, 1]);
    expect(rooms.next()).toBeNull();
    rooms.retry();
    expect(rooms.next()).toEqual({ type: 'join_room', room_id: 'a' });
    rooms.joined('a', 0);
    expect(rooms.refusedForNow()).toBe(0);
  });

  it('gives up on a finally refused join and moves on', () => {
    const rooms = new RoomSubscriptions();
    rooms.join('secret');
    rooms.join('b');
    rooms.next();
    rooms.refusedForGood();
    expect(rooms.next()).toEqual({ type: 'join_room', room_id: 'b' });
    rooms.joined('b', 0);
    rooms.connectionLost();
    expect(rooms.next()).toEqual({ type: 'join_room', room_id: 'b', last_seq: 0 });
  });
});

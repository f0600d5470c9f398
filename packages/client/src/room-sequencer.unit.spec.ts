import type { ChatMessage } from './wire';
import { describe, expect, it } from 'vitest';
import { RoomSequencer } from './room-sequencer';

const message = (seq: number): ChatMessage => ({
  room_id: 'general',
  message_id: `m${seq}`,
  seq,
  sender_id: 'alice',
  content: `message ${seq}`,
  message_type: 'text',
  created_at: '2025-01-01T00:00:00.000Z',
  client_msg_id: null,
});

const seqsOf = (messages: ChatMessage[]) => messages.map((m) => m.seq);

describe('RoomSequencer', () => {
  it('delivers in-order messages at once', () => {
    const room = new RoomSequencer(0);
    expect(seqsOf(room.accept(message(1)))).toEqual([1]);
    expect(seqsOf(room.accept(message(2)))).toEqual([2]);
    expect(room.lastDelivered).toBe(2);
  });

  it('holds messages back across a gap and releases them in order when it fills', () => {
    const room = new RoomSequencer(3);
    expect(room.accept(message(6))).toEqual([]);
    expect(room.accept(message(5))).toEqual([]);
    expect(room.hasGap).toBe(true);
    expect(seqsOf(room.accept(message(4)))).toEqual([4, 5, 6]);
    expect(room.hasGap).toBe(false);
    expect(room.lastDelivered).toBe(6);
  });

  it('drops repeats, whether already delivered or still held back', () => {
    const room = new RoomSequencer(0);
    room.accept(message(1));
    expect(room.accept(message(1))).toEqual([]);
    room.accept(message(3));
    room.accept(message(3));
    expect(seqsOf(room.accept(message(2)))).toEqual([2, 3]);
  });

  it('holds everything until the starting point is known, then delivers only what follows it', () => {
    const room = new RoomSequencer();
    expect(room.accept(message(11))).toEqual([]);
    expect(room.accept(message(9))).toEqual([]);
    expect(room.hasGap).toBe(false);
    expect(room.lastDelivered).toBeNull();
    expect(seqsOf(room.start(10))).toEqual([11]);
    expect(room.accept(message(10))).toEqual([]);
  });

  it('keeps its cursor when started again, as a resumed join does', () => {
    const room = new RoomSequencer();
    room.start(4);
    room.accept(message(5));
    expect(room.start(9)).toEqual([]);
    expect(room.lastDelivered).toBe(5);
    expect(seqsOf(room.accept(message(6)))).toEqual([6]);
  });

  it('turns a replay that overlaps the live stream into one clean run', () => {
    const room = new RoomSequencer(2);
    const arrivals = [5, 3, 4, 5, 6, 3, 8, 7, 6];
    const delivered = arrivals.flatMap((seq) => room.accept(message(seq)));
    expect(seqsOf(delivered)).toEqual([3, 4, 5, 6, 7, 8]);
  });
});

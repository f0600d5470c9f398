import type { ChatMessage } from '@chat/client';
import { describe, expect, it } from 'vitest';
import { RoomLog } from './room-log';

const message = (seq: number, extra: Partial<ChatMessage> = {}): ChatMessage => ({
  room_id: 'r1',
  message_id: `m${seq}`,
  seq,
  sender_id: 'alice',
  content: `hello ${seq}`,
  message_type: 'text',
  created_at: '2026-01-01T00:00:00.000Z',
  client_msg_id: null,
  ...extra,
});

const contents = (log: RoomLog) => log.topLevel().map(({ message }) => message.content);

describe('a room log', () => {
  it('merges history pages and live messages by seq, each seq once, oldest first', () => {
    const log = new RoomLog();
    log.add([message(4), message(5)]);
    log.add([message(2), message(3), message(4, { content: 'again' })]);
    expect(contents(log)).toEqual(['hello 2', 'hello 3', 'hello 4', 'hello 5']);
    expect([log.oldestSeq, log.newestSeq]).toEqual([2, 5]);
  });

  it('keeps thread replies out of the room and in their thread', () => {
    const log = new RoomLog();
    log.add([message(1), message(2, { thread_id: 'm1' }), message(3)]);
    expect(log.topLevel().map(({ message }) => message.seq)).toEqual([1, 3]);
    expect(log.replies('m1').map(({ message }) => message.seq)).toEqual([2]);
  });

  it('shows an acked message at once, and takes the message itself over it when it comes', () => {
    const log = new RoomLog();
    log.acked(message(1, { content: 'mine' }));
    log.add([message(1, { content: 'mine', reactions: [{ emoji: '👍', count: 1, me: false }] })]);
    expect(log.find('m1')?.reactions).toHaveLength(1);
    log.acked(message(1, { content: 'stale' }));
    expect(log.find('m1')?.content).toBe('mine');
  });

  it('applies edits and deletions, and bumps the version the view redraws on', () => {
    const log = new RoomLog();
    log.add([message(1), message(2)]);
    const before = log.topLevel()[0]!.version;
    log.edited(1, 'changed', '2026-01-01T00:01:00.000Z');
    log.deleted(2);
    const [edited, deleted] = log.topLevel();
    expect(edited).toMatchObject({ message: { content: 'changed', edited_at: '2026-01-01T00:01:00.000Z' } });
    expect(edited!.version).toBe(before + 1);
    expect(deleted!.message.content).toBe('');
    expect(deleted!.message.deleted_at).toBeDefined();
  });

  it('blanks the messages up to an expired seq, as history answers them, and leaves later ones', () => {
    const log = new RoomLog();
    log.add([
      message(1, { message_type: 'file', file: { file_id: 'f1' } as ChatMessage['file'] }),
      message(2, { reactions: [{ emoji: '👍', count: 1, me: true }], mentions: ['bob'] }),
      message(3),
    ]);
    log.expired(2);
    expect(log.topLevel().map(({ message }) => message)).toEqual([
      message(1, { message_type: 'file', content: '', expired: true, reactions: [] }),
      message(2, { content: '', expired: true, reactions: [] }),
      message(3),
    ]);
  });

  it("counts reactions as the server says, and moves `me` only on the viewer's own", () => {
    const log = new RoomLog();
    log.add([message(1)]);
    log.reacted({ message_id: 'm1', emoji: '👍', count: 1, mine: false, action: 'add' });
    log.reacted({ message_id: 'm1', emoji: '👍', count: 2, mine: true, action: 'add' });
    expect(log.find('m1')?.reactions).toEqual([{ emoji: '👍', count: 2, me: true }]);
    log.reacted({ message_id: 'm1', emoji: '👍', count: 1, mine: false, action: 'remove' });
    expect(log.find('m1')?.reactions).toEqual([{ emoji: '👍', count: 1, me: true }]);
    log.reacted({ message_id: 'm1', emoji: '👍', count: 0, mine: true, action: 'remove' });
    expect(log.find('m1')?.reactions).toEqual([]);
  });

  it("updates a thread root's summary", () => {
    const log = new RoomLog();
    log.add([message(1)]);
    log.threadUpdated({
      room_id: 'r1',
      message_id: 'm1',
      seq: 1,
      reply_count: 2,
      last_reply_at: '2026-01-01T00:02:00.000Z',
      participants: ['bob'],
    });
    expect(log.find('m1')?.thread).toEqual({
      reply_count: 2,
      last_reply_at: '2026-01-01T00:02:00.000Z',
      participants: ['bob'],
    });
  });

  it('takes what changed while away from a page fetched again, and leaves the rest as drawn', () => {
    const log = new RoomLog();
    log.add([message(1), message(2)]);
    const [first] = log.topLevel();
    log.refresh([message(1), message(2, { content: 'edited', edited_at: '2026-01-01T00:03:00.000Z' })]);
    expect(log.topLevel()[0]).toBe(first);
    expect(log.find('m2')?.content).toBe('edited');
  });
});

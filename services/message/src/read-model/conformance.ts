import { roomStream, type EventRecord, type MemberRole } from '@chat/contracts';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RoomEvent } from '../room-command';
import type { MessageReadModel, ReadModelChange, StreamRevision } from './port';
import { readModelProjection } from './projection';
import { roomChanges } from '../rooms/projection';

/**
 * The one suite every read-model adapter must pass, unchanged. Events go in through the
 * projection, as in production; the 100,000-message room is loaded through the port in bulk.
 * `open` returns a fresh, empty read model for each test.
 */
export const describeMessageReadModel = (adapter: string, open: () => Promise<MessageReadModel>): void => {
  describe(`message read model conformance: ${adapter}`, () => {
    let readModel: MessageReadModel;
    let revisions: Map<string, number>;

    beforeEach(async () => {
      readModel = await open();
      revisions = new Map();
    });
    afterEach(() => readModel.close());

    /** Appends events to a room's stream and projects them; returns their records. */
    const feed = async (roomId: string, ...events: RoomEvent[]): Promise<EventRecord[]> => {
      const stream = roomStream(roomId);
      const records = events.map((event) => {
        const revision = (revisions.get(stream) ?? -1) + 1;
        revisions.set(stream, revision);
        return record(stream, revision, event);
      });
      await readModelProjection(readModel).applyBatch(records);
      return records;
    };

    const room = (roomId: string, viewer: string) => readModel.findRoom(roomId, viewer);
    const seqs = async (roomId: string, range: Parameters<MessageReadModel['listMessages']>[1]) => {
      const slice = await readModel.listMessages(roomId, range);
      return { seqs: slice.messages.map((message) => message.seq), has_more: slice.has_more };
    };

    describe('applying events', () => {
      it('applies an event once: a redelivered or older event changes nothing', async () => {
        const records = await feed(
          'r1',
          created('r1', 'alice'),
          joined('r1', 'alice', 'owner'),
          joined('r1', 'bob'),
        );
        await feed('r1', sent('r1', 1, 'bob'));

        for (const again of records) {
          expect(await applyOne(readModel, { stream: again.stream, revision: again.revision }, [])).toBe(
            false,
          );
          await readModelProjection(readModel).applyBatch([again]);
        }
        expect(await room('r1', 'bob')).toMatchObject({ member_count: 2, last_seq: 1, role: 'member' });
        expect(await readModel.listMembers('r1')).toHaveLength(2);
        expect(await seqs('r1', { limit: 10 })).toEqual({ seqs: [1], has_more: false });
      });

      it('remembers the newest applied revision of each stream', async () => {
        expect(await readModel.appliedRevision(roomStream('r1'))).toBeNull();
        await feed('r1', created('r1', 'alice'), joined('r1', 'alice', 'owner'));
        await feed('r2', created('r2', 'bob'));
        expect(await readModel.appliedRevision(roomStream('r1'))).toBe(1);
        expect(await readModel.appliedRevision(roomStream('r2'))).toBe(0);
      });

      it('applies a batch in order, each event once, however often it comes in the batch', async () => {
        const r1 = roomStream('r1');
        const r2 = roomStream('r2');
        const applied = await readModel.applyBatch([
          { at: { stream: r1, revision: 0 }, changes: [changeOf(created('r1', 'alice'))] },
          { at: { stream: r2, revision: 0 }, changes: [changeOf(created('r2', 'bob'))] },
          { at: { stream: r1, revision: 1 }, changes: [changeOf(joined('r1', 'carol'))] },
          { at: { stream: r1, revision: 1 }, changes: [changeOf(joined('r1', 'dave'))] },
          { at: { stream: r1, revision: 0 }, changes: [changeOf(joined('r1', 'erin'))] },
          {
            at: { stream: r2, revision: 1 },
            changes: [{ kind: 'message_added', message: message('r2', 1, 'bob') }],
          },
        ]);
        expect(applied).toEqual([true, true, true, false, false, true]);
        expect((await readModel.listMembers('r1')).map((member) => member.user_id)).toEqual(['carol']);
        expect(await readModel.latestSeq('r2')).toBe(1);
        expect(await readModel.appliedRevision(r1)).toBe(1);
        const again = await readModel.applyBatch([
          { at: { stream: r1, revision: 1 }, changes: [changeOf(joined('r1', 'frank'))] },
          { at: { stream: r1, revision: 2 }, changes: [changeOf(joined('r1', 'gina'))] },
        ]);
        expect(again).toEqual([false, true]);
        expect((await readModel.listMembers('r1')).map((member) => member.user_id)).toEqual([
          'carol',
          'gina',
        ]);
      });

      it('applies all of an event’s changes or none', async () => {
        await feed('r1', created('r1', 'alice'));
        const applied = await applyOne(readModel, { stream: roomStream('r1'), revision: 1 }, [
          { kind: 'member_added', room_id: 'r1', user_id: 'bob', role: 'member', joined_at: at(1) },
          { kind: 'message_added', message: message('r1', 1, 'bob') },
        ]);
        expect(applied).toBe(true);
        expect(await room('r1', 'bob')).toMatchObject({ member_count: 1, last_seq: 1, role: 'member' });
        expect(await readModel.appliedRevision(roomStream('r1'))).toBe(1);
      });
    });

    describe('rooms', () => {
      it('describes a room to a viewer, with their role', async () => {
        await feed(
          'r1',
          created('r1', 'alice', { isPrivate: true }),
          joined('r1', 'alice', 'owner'),
          joined('r1', 'bob'),
        );
        await feed('r1', sent('r1', 1, 'bob'), sent('r1', 2, 'alice'));
        const expected = {
          room_id: 'r1',
          name: 'Room r1',
          private: true,
          owner_id: 'alice',
          member_count: 2,
          last_seq: 2,
          created_at: at(0),
          kind: 'group',
        };
        expect(await room('r1', 'alice')).toEqual({ ...expected, role: 'owner' });
        expect(await room('r1', 'bob')).toEqual({ ...expected, role: 'member' });
        expect(await room('r1', 'carol')).toEqual({ ...expected, role: null });
        expect(await readModel.latestSeq('r1')).toBe(2);
      });

      it('follows updates and forgets deleted rooms', async () => {
        await feed('r1', created('r1', 'alice'), joined('r1', 'alice', 'owner'));
        await feed('r1', {
          type: 'RoomUpdated',
          data: { room_id: 'r1', name: 'New', private: true, updated_by: 'alice', updated_at: at(1) },
        });
        expect(await room('r1', 'alice')).toMatchObject({ name: 'New', private: true });
        await feed('r1', {
          type: 'RoomDeleted',
          data: { room_id: 'r1', deleted_by: 'alice', deleted_at: at(2) },
        });
        expect(await room('r1', 'alice')).toBeNull();
        expect(await room('missing', 'alice')).toBeNull();
        expect(await readModel.latestSeq('missing')).toBe(0);
      });

      it('lists every public room and the private rooms the user belongs to, oldest first', async () => {
        await feed(
          'public-a',
          created('public-a', 'alice', { minute: 1 }),
          joined('public-a', 'alice', 'owner'),
        );
        await feed(
          'private-b',
          created('private-b', 'bob', { isPrivate: true, minute: 2 }),
          joined('private-b', 'bob', 'owner'),
        );
        await feed(
          'private-c',
          created('private-c', 'alice', { isPrivate: true, minute: 3 }),
          joined('private-c', 'alice', 'owner'),
        );
        await feed('private-c', joined('private-c', 'carol'));
        await feed(
          'public-d',
          created('public-d', 'carol', { minute: 4 }),
          joined('public-d', 'carol', 'owner'),
        );
        await feed(
          'deleted-e',
          created('deleted-e', 'carol', { minute: 5 }),
          joined('deleted-e', 'carol', 'owner'),
        );
        await feed('deleted-e', {
          type: 'RoomDeleted',
          data: { room_id: 'deleted-e', deleted_by: 'carol', deleted_at: at(6) },
        });

        const visible = async (userId: string) =>
          (await readModel.listRoomsVisibleTo(userId)).map((each) => [each.room_id, each.role]);
        expect(await visible('alice')).toEqual([
          ['public-a', 'owner'],
          ['private-c', 'owner'],
          ['public-d', null],
        ]);
        expect(await visible('carol')).toEqual([
          ['public-a', null],
          ['private-c', 'member'],
          ['public-d', 'owner'],
        ]);
        expect(await visible('dave')).toEqual([
          ['public-a', null],
          ['public-d', null],
        ]);

        await feed('private-c', left('private-c', 'carol'));
        expect(await visible('carol')).toEqual([
          ['public-a', null],
          ['public-d', 'owner'],
        ]);
      });

      it('keeps a direct room’s kind, lists it to its members only, beside group rooms', async () => {
        await feed('g1', created('g1', 'alice', { minute: 1 }), joined('g1', 'alice', 'owner'));
        await feed(
          'dm-1',
          {
            type: 'RoomCreated',
            data: {
              room_id: 'dm-1',
              name: '',
              private: true,
              owner_id: 'system',
              created_at: at(2),
              kind: 'direct',
              members: ['alice', 'bob'],
            },
          },
          joined('dm-1', 'alice'),
          joined('dm-1', 'bob'),
        );
        expect(await room('dm-1', 'bob')).toEqual({
          room_id: 'dm-1',
          name: '',
          private: true,
          owner_id: 'system',
          member_count: 2,
          last_seq: 0,
          created_at: at(2),
          role: 'member',
          kind: 'direct',
          members: ['alice', 'bob'],
        });
        const kinds = async (userId: string) =>
          (await readModel.listRoomsVisibleTo(userId)).map((each) => [each.room_id, each.kind]);
        expect(await kinds('alice')).toEqual([
          ['g1', 'group'],
          ['dm-1', 'direct'],
        ]);
        expect(await kinds('carol')).toEqual([['g1', 'group']]);
      });

      it('counts the rooms a user created since a time, deleted ones included', async () => {
        await feed('r1', created('r1', 'alice', { minute: 1 }));
        await feed('r2', created('r2', 'alice', { minute: 2 }));
        await feed('r2', {
          type: 'RoomDeleted',
          data: { room_id: 'r2', deleted_by: 'alice', deleted_at: at(3) },
        });
        await feed('r3', created('r3', 'alice', { minute: 3 }));
        await feed('r4', created('r4', 'bob', { minute: 3 }));
        expect(await readModel.countRoomsCreatedBy('alice', new Date(at(2)))).toBe(2);
        expect(await readModel.countRoomsCreatedBy('alice', new Date(at(0)))).toBe(3);
        expect(await readModel.countRoomsCreatedBy('carol', new Date(at(0)))).toBe(0);
      });
    });

    describe('members', () => {
      it('lists members by user id with their role, and counts them', async () => {
        await feed(
          'r1',
          created('r1', 'carol'),
          joined('r1', 'carol', 'owner'),
          joined('r1', 'alice'),
          joined('r1', 'bob'),
        );
        await feed('r1', left('r1', 'alice'));
        expect(await readModel.listMembers('r1')).toEqual([
          { user_id: 'bob', role: 'member', joined_at: at(0) },
          { user_id: 'carol', role: 'owner', joined_at: at(0) },
        ]);
        expect(await room('r1', 'alice')).toMatchObject({ member_count: 2, role: null });
        expect(await readModel.listMembers('missing')).toEqual([]);
      });

      it('changes a member’s role, removes a banned member, and ignores a role given to no member', async () => {
        await feed('r1', created('r1', 'carol'), joined('r1', 'carol', 'owner'), joined('r1', 'bob'));
        await feed(
          'r1',
          joined('r1', 'dan'),
          roleChanged('r1', 'bob', 'moderator'),
          roleChanged('r1', 'eve'),
        );
        await feed('r1', banned('r1', 'dan'));
        expect(await readModel.listMembers('r1')).toEqual([
          { user_id: 'bob', role: 'moderator', joined_at: at(0) },
          { user_id: 'carol', role: 'owner', joined_at: at(0) },
        ]);
        expect(await room('r1', 'bob')).toMatchObject({ member_count: 2, role: 'moderator' });
        expect(await room('r1', 'dan')).toMatchObject({ member_count: 2, role: null });
      });
    });

    describe('history', () => {
      beforeEach(async () => {
        await feed('r1', created('r1', 'alice'), joined('r1', 'alice', 'owner'));
        await feed('r1', ...Array.from({ length: 10 }, (_, index) => sent('r1', index + 1, 'alice')));
      });

      it('keeps every field of a message', async () => {
        await feed('r1', {
          type: 'MessageSent',
          data: { ...message('r1', 11, 'bob'), content: 'line one\n\tcafé 😀', client_msg_id: 'c-11' },
        });
        const [newest] = (await readModel.listMessages('r1', { limit: 1 })).messages;
        expect(newest).toEqual({
          ...message('r1', 11, 'bob'),
          content: 'line one\n\tcafé 😀',
          client_msg_id: 'c-11',
        });
      });

      it('keeps the file a file message shares', async () => {
        const shared = {
          ...message('r1', 11, 'bob'),
          content: 'plan.pdf',
          message_type: 'file' as const,
          file,
        };
        await feed('r1', { type: 'MessageSent', data: shared });
        expect((await readModel.listMessages('r1', { limit: 2 })).messages).toEqual([
          message('r1', 10, 'alice'),
          shared,
        ]);
      });

      it('erases the file of a deleted file message with its content', async () => {
        const shared = {
          ...message('r1', 11, 'bob'),
          content: 'plan.pdf',
          message_type: 'file' as const,
          file,
        };
        await feed('r1', { type: 'MessageSent', data: shared }, deleted('r1', 11, 12));
        const [tombstone] = (await readModel.listMessages('r1', { limit: 1 })).messages;
        expect(tombstone).toEqual({
          ...message('r1', 11, 'bob'),
          message_type: 'file',
          content: '',
          deleted_at: at(12),
        });
      });

      it('keeps the mentions of a message in history, and erases them with a deleted message', async () => {
        const mentioning = {
          ...message('r1', 11, 'bob'),
          content: '@alice @carol',
          mentions: ['alice', 'carol'],
        };
        await feed('r1', { type: 'MessageSent', data: mentioning });
        expect((await readModel.listMessages('r1', { limit: 1 })).messages).toEqual([mentioning]);
        await feed('r1', deleted('r1', 11, 12));
        const [tombstone] = (await readModel.listMessages('r1', { limit: 1 })).messages;
        expect(tombstone).toEqual({ ...message('r1', 11, 'bob'), content: '', deleted_at: at(12) });
      });

      it('pages back from the newest message, each page in ascending order', async () => {
        expect(await seqs('r1', { limit: 4 })).toEqual({ seqs: [7, 8, 9, 10], has_more: true });
        expect(await seqs('r1', { limit: 4, beforeSeq: 7 })).toEqual({ seqs: [3, 4, 5, 6], has_more: true });
        expect(await seqs('r1', { limit: 4, beforeSeq: 3 })).toEqual({ seqs: [1, 2], has_more: false });
        expect(await seqs('r1', { limit: 10 })).toEqual({
          seqs: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
          has_more: false,
        });
      });

      it('pages forward after a seq, oldest first', async () => {
        expect(await seqs('r1', { limit: 3, afterSeq: 0 })).toEqual({ seqs: [1, 2, 3], has_more: true });
        expect(await seqs('r1', { limit: 3, afterSeq: 6 })).toEqual({ seqs: [7, 8, 9], has_more: true });
        expect(await seqs('r1', { limit: 3, afterSeq: 7 })).toEqual({ seqs: [8, 9, 10], has_more: false });
        expect(await seqs('r1', { limit: 3, afterSeq: 10 })).toEqual({ seqs: [], has_more: false });
        expect(await seqs('r1', { limit: 3, afterSeq: 2, beforeSeq: 6 })).toEqual({
          seqs: [3, 4, 5],
          has_more: false,
        });
      });

      it('pages back from a time: only messages created strictly before it', async () => {
        // Message n was created at minute n.
        expect(await seqs('r1', { limit: 3, before: new Date(at(5)) })).toEqual({
          seqs: [2, 3, 4],
          has_more: true,
        });
        expect(await seqs('r1', { limit: 3, before: new Date(Date.parse(at(5)) + 1) })).toEqual({
          seqs: [3, 4, 5],
          has_more: true,
        });
        expect(await seqs('r1', { limit: 3, before: new Date(at(5)), beforeSeq: 3 })).toEqual({
          seqs: [1, 2],
          has_more: false,
        });
        expect(await seqs('r1', { limit: 3, before: new Date(at(1)) })).toEqual({
          seqs: [],
          has_more: false,
        });
        expect(await seqs('r1', { limit: 3, before: new Date(at(60)) })).toEqual({
          seqs: [8, 9, 10],
          has_more: true,
        });
      });

      it('reads nothing from an empty or missing room', async () => {
        await feed('r2', created('r2', 'alice'));
        expect(await seqs('r2', { limit: 5 })).toEqual({ seqs: [], has_more: false });
        expect(await seqs('missing', { limit: 5, afterSeq: 0 })).toEqual({ seqs: [], has_more: false });
      });

      it('shows an edited message with its new content and when it was edited', async () => {
        await feed('r1', edited('r1', 3, 'first fix', 11), edited('r1', 3, 'second fix', 12));
        const { messages } = await readModel.listMessages('r1', { limit: 3, afterSeq: 2 });
        expect(messages[0]).toEqual({
          ...message('r1', 3, 'alice'),
          content: 'second fix',
          edited_at: at(12),
        });
        expect(messages[1]).toEqual(message('r1', 4, 'alice'));
      });

      it('keeps a deleted message as a tombstone: its seq stays, its content is erased', async () => {
        await feed('r1', edited('r1', 5, 'secret', 11), deleted('r1', 5, 12));
        expect(await seqs('r1', { limit: 3, afterSeq: 3 })).toEqual({ seqs: [4, 5, 6], has_more: true });
        const [tombstone] = (await readModel.listMessages('r1', { limit: 1, beforeSeq: 6 })).messages;
        expect(tombstone).toEqual({
          ...message('r1', 5, 'alice'),
          content: '',
          edited_at: at(11),
          deleted_at: at(12),
        });
        expect(await readModel.latestSeq('r1')).toBe(10);
      });

      it('applies a redelivered edit or deletion once', async () => {
        const records = await feed('r1', edited('r1', 1, 'once', 11), deleted('r1', 2, 12));
        await feed('r1', edited('r1', 1, 'twice', 13));
        for (const again of records) await readModelProjection(readModel).applyBatch([again]);
        const [first, second] = (await readModel.listMessages('r1', { limit: 2, afterSeq: 0 })).messages;
        expect(first).toMatchObject({ content: 'twice', edited_at: at(13) });
        expect(second).toMatchObject({ content: '', deleted_at: at(12) });
      });
    });

    describe('threads', () => {
      const root = 'msg_r1_1';
      const reply = (seq: number, senderId: string): RoomEvent => ({
        type: 'MessageSent',
        data: { ...message('r1', seq, senderId), thread_id: root },
      });
      const summary = (reply_count: number, minute: number, participants: string[]): RoomEvent => ({
        type: 'ThreadUpdated',
        data: {
          room_id: 'r1',
          message_id: root,
          seq: 1,
          thread: { reply_count, last_reply_at: at(minute), participants },
        },
      });
      const replySeqs = async (range: Parameters<MessageReadModel['listReplies']>[2]) => {
        const slice = await readModel.listReplies('r1', root, range);
        return { seqs: slice.messages.map((each) => each.seq), has_more: slice.has_more };
      };

      beforeEach(async () => {
        await feed('r1', created('r1', 'alice'), joined('r1', 'alice', 'owner'), sent('r1', 1, 'alice'));
        // Replies and other messages interleave in the room's seqs: 2, 4, 6, 8, 10 are replies.
        for (let seq = 2; seq <= 10; seq += 2) {
          await feed(
            'r1',
            reply(seq, seq % 4 ? 'bob' : 'carol'),
            summary(seq / 2, seq, ['bob', 'carol']),
            sent('r1', seq + 1, 'alice'),
          );
        }
      });

      it('shows the root with its thread summary and each reply with its root, in the room’s history', async () => {
        const { messages } = await readModel.listMessages('r1', { limit: 3, afterSeq: 0 });
        expect(messages).toEqual([
          {
            ...message('r1', 1, 'alice'),
            thread: { reply_count: 5, last_reply_at: at(10), participants: ['bob', 'carol'] },
          },
          { ...message('r1', 2, 'bob'), thread_id: root },
          message('r1', 3, 'alice'),
        ]);
      });

      it('pages a thread’s replies back from the newest and forward after a seq, each page ascending', async () => {
        expect(await replySeqs({ limit: 2 })).toEqual({ seqs: [8, 10], has_more: true });
        expect(await replySeqs({ limit: 2, beforeSeq: 8 })).toEqual({ seqs: [4, 6], has_more: true });
        expect(await replySeqs({ limit: 2, beforeSeq: 4 })).toEqual({ seqs: [2], has_more: false });
        expect(await replySeqs({ limit: 3, afterSeq: 2 })).toEqual({ seqs: [4, 6, 8], has_more: true });
        expect(await replySeqs({ limit: 3, afterSeq: 6 })).toEqual({ seqs: [8, 10], has_more: false });
        expect(await replySeqs({ limit: 10, afterSeq: 2, beforeSeq: 8 })).toEqual({
          seqs: [4, 6],
          has_more: false,
        });
      });

      it('reads no replies of a message without any, or of another room', async () => {
        expect((await readModel.listReplies('r1', 'msg_r1_3', { limit: 10 })).messages).toEqual([]);
        expect((await readModel.listReplies('r2', root, { limit: 10 })).messages).toEqual([]);
      });

      it('follows a deleted reply and keeps the summary of a deleted root', async () => {
        await feed('r1', deleted('r1', 4, 20), summary(4, 10, ['bob', 'carol']), deleted('r1', 1, 21));
        const [rootTombstone] = (await readModel.listMessages('r1', { limit: 1, afterSeq: 0 })).messages;
        expect(rootTombstone).toMatchObject({ content: '', deleted_at: at(21), thread: { reply_count: 4 } });
        const replies = (await readModel.listReplies('r1', root, { limit: 10 })).messages;
        expect(replies.map((each) => [each.seq, each.content])).toEqual([
          [2, 'message 2'],
          [4, ''],
          [6, 'message 6'],
          [8, 'message 8'],
          [10, 'message 10'],
        ]);
      });

      it('keeps the summary of an edited root', async () => {
        await feed('r1', edited('r1', 1, 'root, edited', 30));
        const [first] = (await readModel.listMessages('r1', { limit: 1, afterSeq: 0 })).messages;
        expect(first).toMatchObject({ content: 'root, edited', thread: { reply_count: 5 } });
      });

      it('applies a redelivered summary once', async () => {
        const records = await feed('r1', summary(6, 30, ['bob']));
        for (const again of records) await readModelProjection(readModel).applyBatch([again]);
        const [first] = (await readModel.listMessages('r1', { limit: 1, afterSeq: 0 })).messages;
        expect(first?.thread).toEqual({ reply_count: 6, last_reply_at: at(30), participants: ['bob'] });
      });
    });

    describe('verified files', () => {
      it('finds a verified upload by its file id, applied once', async () => {
        const { file_id, file_name, content_type, file_url } = file;
        const verified = { file_id, room_id: 'r1', file_name, content_type, size: file.file_size, file_url };
        const stored = { ...verified, uploader_id: 'alice', verified_at: at(1) };
        const stream = `file-${file_id}`;
        expect(await readModel.findVerifiedFile(file_id)).toBeNull();
        expect(
          await applyOne(readModel, { stream, revision: 1 }, [{ kind: 'file_verified', file: stored }]),
        ).toBe(true);
        expect(await applyOne(readModel, { stream, revision: 1 }, [])).toBe(false);
        expect(await readModel.findVerifiedFile(file_id)).toEqual(verified);
      });
    });

    describe('reactions', () => {
      const history = () => feed('r1', created('r1', 'alice'), sent('r1', 1, 'bob'), sent('r1', 2, 'bob'));

      it('counts each emoji per message, says whether the viewer gave it, in the order first given', async () => {
        await history();
        await feed(
          'r1',
          reacted('r1', 1, 'carol', '👍', 3),
          reacted('r1', 1, 'alice', '🎉', 4),
          reacted('r1', 1, 'alice', '👍', 5),
          reacted('r1', 2, 'bob', ':tada:', 6),
        );
        const reactions = await readModel.listReactions('r1', { fromSeq: 1, toSeq: 2 }, 'alice');
        expect(reactions).toEqual(
          new Map([
            [
              1,
              [
                { emoji: '👍', count: 2, me: true },
                { emoji: '🎉', count: 1, me: true },
              ],
            ],
            [2, [{ emoji: ':tada:', count: 1, me: false }]],
          ]),
        );
        expect(await readModel.listReactions('r1', { fromSeq: 2, toSeq: 2 }, 'bob')).toEqual(
          new Map([[2, [{ emoji: ':tada:', count: 1, me: true }]]]),
        );
        expect(await readModel.listReactions('r2', { fromSeq: 1, toSeq: 2 }, 'alice')).toEqual(new Map());
      });

      it('forgets a removed reaction, and every reaction of a deleted message', async () => {
        await history();
        await feed(
          'r1',
          reacted('r1', 1, 'carol', '👍', 3),
          reacted('r1', 1, 'alice', '👍', 4),
          reacted('r1', 2, 'carol', '👍', 5),
          unreacted('r1', 1, 'carol', '👍'),
          deleted('r1', 2, 6),
        );
        expect(await readModel.listReactions('r1', { fromSeq: 1, toSeq: 2 }, 'carol')).toEqual(
          new Map([[1, [{ emoji: '👍', count: 1, me: false }]]]),
        );
      });

      it('applies a redelivered reaction once', async () => {
        await history();
        const records = await feed(
          'r1',
          reacted('r1', 1, 'carol', '👍', 3),
          unreacted('r1', 1, 'carol', '👍'),
        );
        await feed('r1', reacted('r1', 1, 'dave', '👍', 4));
        for (const again of records) await readModelProjection(readModel).applyBatch([again]);
        expect(await readModel.listReactions('r1', { fromSeq: 1, toSeq: 1 }, 'carol')).toEqual(
          new Map([[1, [{ emoji: '👍', count: 1, me: false }]]]),
        );
      });
    });

    describe('mentions', () => {
      const mentioning = (roomId: string, seq: number, ...mentions: string[]): RoomEvent => ({
        type: 'MessageSent',
        data: {
          ...message(roomId, seq, 'alice'),
          content: mentions.map((id) => `@${id}`).join(' '),
          mentions,
        },
      });
      const ids = (messages: { room_id: string; seq: number }[]) =>
        messages.map(({ room_id, seq }) => `${room_id}#${seq}`);

      beforeEach(async () => {
        for (const roomId of ['r1', 'r2', 'r3', 'r4']) {
          await feed(
            roomId,
            created(roomId, 'alice'),
            joined(roomId, 'alice', 'owner'),
            joined(roomId, 'bob'),
          );
        }
        await feed(
          'r1',
          mentioning('r1', 1, 'bob'),
          mentioning('r1', 3, 'bob', 'carol'),
          mentioning('r1', 5, 'carol'),
        );
        await feed('r2', mentioning('r2', 2, 'bob'), mentioning('r2', 3, 'bob'), mentioning('r2', 4, 'bob'));
        await feed('r2', deleted('r2', 4, 9));
        await feed('r3', mentioning('r3', 6, 'bob'), left('r3', 'bob'));
        await feed('r4', mentioning('r4', 7, 'bob'), {
          type: 'RoomDeleted',
          data: { room_id: 'r4', deleted_by: 'alice', deleted_at: at(8) },
        });
      });

      it('lists the messages mentioning a user, newest first, in the rooms they can still read', async () => {
        const page = await readModel.listMentions('bob', 10);
        expect(ids(page)).toEqual(['r2#3', 'r1#3', 'r2#2', 'r1#1']);
        expect(page[1]).toEqual({
          ...message('r1', 3, 'alice'),
          content: '@bob @carol',
          mentions: ['bob', 'carol'],
        });
        expect(ids(await readModel.listMentions('carol', 10))).toEqual([]);
      });

      it('pages after a position, ties in time broken by room and seq', async () => {
        const first = await readModel.listMentions('bob', 2);
        expect(ids(first)).toEqual(['r2#3', 'r1#3']);
        const last = first.at(-1)!;
        const rest = await readModel.listMentions('bob', 2, {
          created_at: last.created_at,
          room_id: last.room_id,
          seq: last.seq,
        });
        expect(ids(rest)).toEqual(['r2#2', 'r1#1']);
        expect(await readModel.listMentions('bob', 2, { created_at: at(1), room_id: 'r1', seq: 1 })).toEqual(
          [],
        );
      });
    });

    describe('receipts', () => {
      const marked = (roomId: string, userId: string, seq: number, minute: number): ReadModelChange => ({
        kind: 'receipt_marked',
        room_id: roomId,
        user_id: userId,
        seq,
        read_at: at(minute),
      });
      const apply = (stream: string, revision: number, change: ReadModelChange) =>
        applyOne(readModel, { stream, revision }, [change]);

      it('keeps each user’s newest receipt per room, never moving back, by user id', async () => {
        await apply('notify-user-bob', 0, marked('r1', 'bob', 3, 1));
        await apply('notify-user-ann', 0, marked('r1', 'ann', 2, 2));
        await apply('notify-user-bob', 1, marked('r1', 'bob', 5, 3));
        await apply('notify-user-bob', 2, marked('r2', 'bob', 9, 4));
        // Applied under a later revision yet older: a receipt never moves back.
        await apply('notify-user-bob', 3, marked('r1', 'bob', 4, 5));
        expect(await readModel.listReceipts('r1')).toEqual([
          { user_id: 'ann', seq: 2, read_at: at(2) },
          { user_id: 'bob', seq: 5, read_at: at(3) },
        ]);
        expect(await readModel.listReceipts('r3')).toEqual([]);
      });

      it('hides every receipt of a user who turned them off, and shows later ones', async () => {
        await apply('notify-user-bob', 0, marked('r1', 'bob', 3, 1));
        await apply('notify-user-bob', 1, marked('r2', 'bob', 4, 1));
        await apply('notify-user-ann', 0, marked('r1', 'ann', 2, 2));
        await apply('notify-user-bob', 2, { kind: 'receipts_hidden', user_id: 'bob' });
        expect(await readModel.listReceipts('r1')).toEqual([{ user_id: 'ann', seq: 2, read_at: at(2) }]);
        expect(await readModel.listReceipts('r2')).toEqual([]);
        await apply('notify-user-bob', 3, marked('r1', 'bob', 6, 7));
        expect(await readModel.listReceipts('r1')).toEqual([
          { user_id: 'ann', seq: 2, read_at: at(2) },
          { user_id: 'bob', seq: 6, read_at: at(7) },
        ]);
      });
    });

    describe('erasure', () => {
      const { file_id, file_name, content_type, file_url } = file;
      const alicesFile = {
        file_id,
        room_id: 'r1',
        file_name,
        content_type,
        size: file.file_size,
        file_url,
        uploader_id: 'alice',
        verified_at: at(1),
      };
      const fileSent: RoomEvent = {
        type: 'MessageSent',
        data: { ...message('r1', 3, 'alice'), message_type: 'file', content: 'the plan', file },
      };
      const mentioning = (seq: number, sender: string, mentioned: string): RoomEvent => ({
        type: 'MessageSent',
        data: { ...message('r1', seq, sender), content: `hi @${mentioned}`, mentions: [mentioned] },
      });
      const erase = (revision = 0) =>
        applyOne(readModel, { stream: 'user-alice', revision }, [
          { kind: 'user_erased', user_id: 'alice', erased_at: at(50) },
        ]);
      const all = async <T>(rows: AsyncIterable<T>): Promise<T[]> => {
        const out: T[] = [];
        for await (const row of rows) out.push(row);
        return out;
      };
      const history = async () => (await readModel.listMessages('r1', { limit: 10 })).messages;

      beforeEach(async () => {
        await feed('r1', created('r1', 'alice'), joined('r1', 'alice', 'owner'), joined('r1', 'bob'));
        await feed('r1', mentioning(1, 'alice', 'bob'), mentioning(2, 'bob', 'alice'), fileSent);
        await feed('r1', edited('r1', 1, 'hi @bob, edited', 5), reacted('r1', 2, 'alice', '👍', 6));
        await feed('r1', reacted('r1', 1, 'bob', '🎉', 7));
        await applyOne(readModel, { stream: `file-${file_id}`, revision: 1 }, [
          { kind: 'file_verified', file: alicesFile },
        ]);
        await applyOne(readModel, { stream: 'notify-user-alice', revision: 0 }, [
          { kind: 'receipt_marked', room_id: 'r1', user_id: 'alice', seq: 2, read_at: at(8) },
        ]);
        await applyOne(readModel, { stream: 'notify-user-alice', revision: 1 }, setUp('alice', 9));
        await applyOne(readModel, { stream: 'notify-user-bob', revision: 0 }, setUp('bob', 9));
        await readModel.recordLastSeen([
          { user_id: 'alice', last_seen: at(10) },
          { user_id: 'bob', last_seen: at(10) },
        ]);
        await readModel.recordLastSeen([{ user_id: 'alice', last_seen: at(9) }]);
      });

      /** A user's push subscription, webhook and mute, as the notification service's events tell. */
      const setUp = (user: string, minute: number): ReadModelChange[] => [
        {
          kind: 'push_subscribed',
          user_id: user,
          subscription_id: `sub-${user}`,
          endpoint: `https://push.example/${user}`,
          subscribed_at: at(minute),
        },
        {
          kind: 'webhook_registered',
          user_id: user,
          url: `https://hooks.example/${user}`,
          registered_at: at(minute),
        },
        { kind: 'room_muted', user_id: user, room_id: 'r1', muted_at: at(minute) },
      ];
      const account = async (user: string) => {
        const data = readModel.personalData(user);
        return {
          pushSubscriptions: await all(data.pushSubscriptions),
          webhooks: await all(data.webhooks),
          mutes: await all(data.mutes),
          lastSeen: await data.lastSeen(),
        };
      };
      const nothing = { pushSubscriptions: [], webhooks: [], mutes: [], lastSeen: null };

      it('keeps what a user set up elsewhere: subscriptions, webhook, mutes, last seen; and their removal', async () => {
        expect(await account('alice')).toEqual({
          pushSubscriptions: [
            { subscription_id: 'sub-alice', endpoint: 'https://push.example/alice', subscribed_at: at(9) },
          ],
          webhooks: [{ url: 'https://hooks.example/alice', registered_at: at(9) }],
          mutes: [{ room_id: 'r1', muted_at: at(9) }],
          lastSeen: at(10),
        });
        await applyOne(readModel, { stream: 'notify-user-bob', revision: 1 }, [
          { kind: 'push_unsubscribed', user_id: 'bob', subscription_id: 'sub-bob' },
          { kind: 'webhook_removed', user_id: 'bob' },
          { kind: 'room_unmuted', user_id: 'bob', room_id: 'r1' },
        ]);
        expect(await account('bob')).toEqual({ ...nothing, lastSeen: at(10) });
      });

      it('lists what it holds about a user: memberships, messages, reactions, receipts, files', async () => {
        const data = readModel.personalData('alice');
        expect(await all(data.memberships)).toEqual([
          { room_id: 'r1', room_name: 'Room r1', role: 'owner', joined_at: at(0) },
        ]);
        expect((await all(data.messages)).map(({ seq, content }) => ({ seq, content }))).toEqual([
          { seq: 1, content: 'hi @bob, edited' },
          { seq: 3, content: 'the plan' },
        ]);
        expect(await all(data.reactions)).toEqual([
          { room_id: 'r1', seq: 2, emoji: '👍', reacted_at: at(6) },
        ]);
        expect(await all(data.receipts)).toEqual([{ room_id: 'r1', seq: 2, read_at: at(8) }]);
        expect(await all(data.files)).toEqual([alicesFile]);
        expect(await readModel.isErased('alice')).toBe(false);
      });

      it("blanks an erased user's messages to tombstones, seqs kept, and drops their reactions, receipts and files", async () => {
        expect(await erase()).toBe(true);
        const [first, second, third] = await history();
        expect(first).toEqual({
          ...message('r1', 1, 'alice'),
          content: '',
          erased: true,
          edited_at: at(5),
        });
        expect(second).toMatchObject({ seq: 2, sender_id: 'bob', content: 'hi @alice', mentions: ['alice'] });
        expect(second).not.toHaveProperty('erased');
        expect(third).toEqual({
          ...message('r1', 3, 'alice'),
          message_type: 'file',
          content: '',
          erased: true,
        });
        expect(await readModel.listReactions('r1', { fromSeq: 1, toSeq: 3 }, 'bob')).toEqual(
          new Map([[1, [{ emoji: '🎉', count: 1, me: true }]]]),
        );
        expect(await readModel.listReceipts('r1')).toEqual([]);
        expect(await readModel.findVerifiedFile(file_id)).toBeNull();
        expect(await readModel.listMentions('bob', 10)).toEqual([]);
        expect(await readModel.isErased('alice')).toBe(true);
        const data = readModel.personalData('alice');
        expect((await all(data.messages)).map(({ content, erased }) => ({ content, erased }))).toEqual([
          { content: '', erased: true },
          { content: '', erased: true },
        ]);
        expect([await all(data.reactions), await all(data.receipts), await all(data.files)]).toEqual([
          [],
          [],
          [],
        ]);
        expect(await account('alice')).toEqual(nothing);
        expect((await account('bob')).pushSubscriptions).toHaveLength(1);
      });

      it('takes in erased whatever of theirs comes after the erasure; erasing again changes nothing', async () => {
        await erase();
        expect(await erase()).toBe(false);
        await feed('r1', mentioning(4, 'alice', 'bob'), edited('r1', 1, 'late edit', 51));
        await feed('r1', reacted('r1', 2, 'alice', '👀', 52));
        await applyOne(readModel, { stream: 'file-late', revision: 1 }, [
          { kind: 'file_verified', file: { ...alicesFile, file_id: 'file_BBBBBBBBBBBBBBBBBBBBBB' } },
        ]);
        await applyOne(readModel, { stream: 'notify-user-alice', revision: 1 }, [
          { kind: 'receipt_marked', room_id: 'r1', user_id: 'alice', seq: 4, read_at: at(53) },
        ]);
        const messages = await history();
        expect(messages.map(({ seq, content }) => ({ seq, content }))).toEqual([
          { seq: 1, content: '' },
          { seq: 2, content: 'hi @alice' },
          { seq: 3, content: '' },
          { seq: 4, content: '' },
        ]);
        expect(messages[3]).toMatchObject({ erased: true });
        expect(messages[3]).not.toHaveProperty('mentions');
        expect(await readModel.listMentions('bob', 10)).toEqual([]);
        expect(await readModel.listReactions('r1', { fromSeq: 2, toSeq: 2 }, 'bob')).toEqual(new Map());
        expect(await readModel.findVerifiedFile('file_BBBBBBBBBBBBBBBBBBBBBB')).toBeNull();
        expect(await readModel.listReceipts('r1')).toEqual([]);
        await applyOne(readModel, { stream: 'notify-user-alice', revision: 3 }, setUp('alice', 54));
        await readModel.recordLastSeen([{ user_id: 'alice', last_seen: at(55) }]);
        expect(await account('alice')).toEqual(nothing);
      });
    });

    describe('retention', () => {
      const retention = (roomId: string, days: number | null): RoomEvent => ({
        type: 'RoomRetentionChanged',
        data: { room_id: roomId, retention_days: days, changed_by: 'alice', changed_at: at(0) },
      });
      const expired = (roomId: string, throughSeq: number): RoomEvent => ({
        type: 'RoomHistoryExpired',
        data: { room_id: roomId, through_seq: throughSeq, cutoff: at(throughSeq), expired_at: at(30) },
      });

      it('keeps expired messages as tombstones marked expired: seqs stay, content, file, mentions and reactions go', async () => {
        await feed('r1', created('r1', 'alice'), joined('r1', 'alice', 'owner'));
        await feed(
          'r1',
          { type: 'MessageSent', data: { ...message('r1', 1, 'bob'), message_type: 'file', file } },
          { type: 'MessageSent', data: { ...message('r1', 2, 'bob'), mentions: ['alice'] } },
          sent('r1', 3, 'bob'),
          reacted('r1', 2, 'alice', '👍', 4),
          reacted('r1', 3, 'alice', '👍', 5),
          expired('r1', 2),
        );
        expect((await readModel.listMessages('r1', { limit: 10 })).messages).toEqual([
          { ...message('r1', 1, 'bob'), message_type: 'file', content: '', expired: true },
          { ...message('r1', 2, 'bob'), content: '', expired: true },
          message('r1', 3, 'bob'),
        ]);
        expect((await readModel.listMessages('r1', { limit: 10, afterSeq: 0 })).messages).toHaveLength(3);
        expect(await readModel.listReactions('r1', { fromSeq: 1, toSeq: 3 }, 'alice')).toEqual(
          new Map([[3, [{ emoji: '👍', count: 1, me: true }]]]),
        );
        expect(await readModel.listMentions('alice', 10)).toEqual([]);
      });

      it('expires further on a later expiry, and applies a redelivered one once', async () => {
        await feed('r1', created('r1', 'alice'));
        await feed('r1', sent('r1', 1, 'bob'), sent('r1', 2, 'bob'), sent('r1', 3, 'bob'));
        const records = await feed('r1', expired('r1', 1));
        await readModelProjection(readModel).applyBatch(records);
        await feed('r1', expired('r1', 2));
        const expiredSeqs = (await readModel.listMessages('r1', { limit: 10 })).messages
          .filter((each) => each.expired)
          .map((each) => each.seq);
        expect(expiredSeqs).toEqual([1, 2]);
        expect(await readModel.listRoomRetention(null, 10)).toEqual([
          { room_id: 'r1', retention_days: null, expired_through_seq: 2 },
        ]);
      });

      it('lists every room with its retention, deleted ones too, in room id order from a position', async () => {
        await feed('r2', created('r2', 'alice'), retention('r2', 7));
        await feed('r1', created('r1', 'alice'));
        await feed('r3', created('r3', 'alice'), retention('r3', 7), retention('r3', null), {
          type: 'RoomDeleted',
          data: { room_id: 'r3', deleted_by: 'alice', deleted_at: at(2) },
        });
        expect(await readModel.findRoom('r2', 'alice')).toMatchObject({ retention_days: 7 });
        expect(await readModel.findRoom('r1', 'alice')).not.toHaveProperty('retention_days');
        expect(await readModel.listRoomRetention(null, 2)).toEqual([
          { room_id: 'r1', retention_days: null, expired_through_seq: 0 },
          { room_id: 'r2', retention_days: 7, expired_through_seq: 0 },
        ]);
        expect(await readModel.listRoomRetention('r2', 2)).toEqual([
          { room_id: 'r3', retention_days: null, expired_through_seq: 0 },
        ]);
      });

      it('finds the newest message created before a time', async () => {
        await feed('r1', created('r1', 'alice'));
        await feed('r1', sent('r1', 1, 'bob'), sent('r1', 2, 'bob'), sent('r1', 3, 'bob'));
        expect(await readModel.lastSeqBefore('r1', new Date(at(3)))).toBe(2);
        expect(await readModel.lastSeqBefore('r1', new Date(at(1)))).toBe(0);
        expect(await readModel.lastSeqBefore('r9', new Date(at(9)))).toBe(0);
      });
    });

    it('pages a 100,000-message room by seq and by time', async () => {
      const total = 100_000;
      await feed('big', created('big', 'alice'), joined('big', 'alice', 'owner'));
      for (let first = 1, revision = 2; first <= total; first += 1_000, revision++) {
        const changes: ReadModelChange[] = Array.from({ length: 1_000 }, (_, index) => ({
          kind: 'message_added',
          message: {
            ...message('big', first + index, 'alice'),
            created_at: new Date(Date.UTC(2024, 0, 1) + (first + index) * 1000).toISOString(),
          },
        }));
        await applyOne(readModel, { stream: roomStream('big'), revision }, changes);
      }
      const range = (from: number, to: number) =>
        Array.from({ length: to - from + 1 }, (_, index) => from + index);

      expect(await readModel.latestSeq('big')).toBe(total);
      expect(await seqs('big', { limit: 50 })).toEqual({ seqs: range(99_951, 100_000), has_more: true });
      expect(await seqs('big', { limit: 50, beforeSeq: 50_001 })).toEqual({
        seqs: range(49_951, 50_000),
        has_more: true,
      });
      expect(await seqs('big', { limit: 200, afterSeq: 0 })).toEqual({ seqs: range(1, 200), has_more: true });
      expect(await seqs('big', { limit: 50, afterSeq: 99_990 })).toEqual({
        seqs: range(99_991, 100_000),
        has_more: false,
      });
      const seventyThousandth = new Date(Date.UTC(2024, 0, 1) + 70_000 * 1000);
      expect(await seqs('big', { limit: 50, before: seventyThousandth })).toEqual({
        seqs: range(69_950, 69_999),
        has_more: true,
      });
    });

    describe('end-to-end encrypted rooms', () => {
      const mls = { message: 'AAEAAgMEBQY=', epoch: 0, content_type: 'commit' as const };

      it('keeps the room’s encryption and its messages’ MLS bytes; a tombstone keeps none', async () => {
        await feed(
          'e2e',
          {
            type: 'RoomCreated',
            data: {
              room_id: 'e2e',
              name: 'Secret',
              private: true,
              owner_id: 'alice',
              created_at: at(0),
              encryption: 'mls',
            },
          },
          joined('e2e', 'alice', 'owner'),
          {
            type: 'MessageSent',
            data: { ...message('e2e', 1, 'alice'), content: '', message_type: 'mls', mls },
          },
          {
            type: 'MessageSent',
            data: { ...message('e2e', 2, 'alice'), content: '', message_type: 'mls', mls },
          },
          deleted('e2e', 2, 5),
        );
        await feed('plain', created('plain', 'alice'));
        expect(await room('e2e', 'alice')).toMatchObject({ encryption: 'mls' });
        expect(await room('plain', 'alice')).not.toHaveProperty('encryption');
        const { messages } = await readModel.listMessages('e2e', { limit: 10 });
        expect(messages[0]).toMatchObject({ seq: 1, content: '', message_type: 'mls', mls: mls.message });
        expect(messages[1]).not.toHaveProperty('mls');
      });

      it('keeps a Welcome for each recipient until they acknowledge it', async () => {
        const welcome = (seq: number, recipients: string[]): RoomEvent => ({
          type: 'MlsWelcomeSent',
          data: { room_id: 'e2e', seq, recipients, welcome: `V0VMQ09NRQ${seq}=`, sent_at: at(seq) },
        });
        const acknowledged = (seq: number, userId: string): RoomEvent => ({
          type: 'MlsWelcomeAcknowledged',
          data: { room_id: 'e2e', seq, user_id: userId, acknowledged_at: at(seq) },
        });
        await feed('e2e', created('e2e', 'alice'), welcome(1, ['bob', 'carol']), welcome(4, ['bob']));
        expect(await readModel.listWelcomes('bob')).toEqual([
          { room_id: 'e2e', seq: 1, welcome: 'V0VMQ09NRQ1=' },
          { room_id: 'e2e', seq: 4, welcome: 'V0VMQ09NRQ4=' },
        ]);
        await feed('e2e', acknowledged(1, 'bob'));
        expect(await readModel.listWelcomes('bob')).toEqual([
          { room_id: 'e2e', seq: 4, welcome: 'V0VMQ09NRQ4=' },
        ]);
        expect(await readModel.listWelcomes('carol')).toEqual([
          { room_id: 'e2e', seq: 1, welcome: 'V0VMQ09NRQ1=' },
        ]);
        expect(await readModel.listWelcomes('alice')).toEqual([]);
      });
    });
  });
};

/** The read-model change of a room or membership event. */
const changeOf = (event: RoomEvent): ReadModelChange => roomChanges(event)[0]!;

/** One event's changes applied alone: whether they were. */
const applyOne = async (readModel: MessageReadModel, at: StreamRevision, changes: ReadModelChange[]) =>
  (await readModel.applyBatch([{ at, changes }]))[0];

const at = (minute: number): string => new Date(Date.UTC(2024, 4, 1, 10, minute)).toISOString();

const record = (stream: string, revision: number, event: RoomEvent): EventRecord => ({
  event_id: `${stream}#${revision}`,
  type: event.type,
  stream,
  revision,
  data: event.data,
  metadata: { correlation_id: 'correlation', causation_id: `command-${revision}`, actor_id: 'actor' },
  recorded_at: at(0),
});

const created = (
  roomId: string,
  ownerId: string,
  { isPrivate = false, minute = 0 }: { isPrivate?: boolean; minute?: number } = {},
): RoomEvent => ({
  type: 'RoomCreated',
  data: {
    room_id: roomId,
    name: `Room ${roomId}`,
    private: isPrivate,
    owner_id: ownerId,
    created_at: at(minute),
  },
});

const joined = (roomId: string, userId: string, role: MemberRole = 'member'): RoomEvent => ({
  type: 'MemberJoined',
  data: { room_id: roomId, user_id: userId, role, added_by: userId, joined_at: at(0) },
});

const left = (roomId: string, userId: string): RoomEvent => ({
  type: 'MemberLeft',
  data: { room_id: roomId, user_id: userId, removed_by: userId, left_at: at(0) },
});

const roleChanged = (roomId: string, userId: string, role: 'moderator' | 'member' = 'member'): RoomEvent => ({
  type: 'MemberRoleChanged',
  data: { room_id: roomId, user_id: userId, role, changed_by: 'owner', changed_at: at(0) },
});

const banned = (roomId: string, userId: string): RoomEvent => ({
  type: 'MemberBanned',
  data: { room_id: roomId, user_id: userId, reason: null, until: null, banned_by: 'owner', banned_at: at(0) },
});

/** An upload the media service verified, as a file message carries it. */
const file = {
  file_id: 'file_AAAAAAAAAAAAAAAAAAAAAA',
  file_name: 'plan.pdf',
  file_size: 1234,
  content_type: 'application/pdf',
  file_url: '/api/media/file_AAAAAAAAAAAAAAAAAAAAAA',
};

/** Message n of a room, created at minute n. */
const message = (roomId: string, seq: number, senderId: string) => ({
  room_id: roomId,
  message_id: `msg_${roomId}_${seq}`,
  seq,
  sender_id: senderId,
  content: `message ${seq}`,
  message_type: 'text' as const,
  client_msg_id: null,
  created_at: at(seq),
});

const edited = (roomId: string, seq: number, content: string, minute: number): RoomEvent => ({
  type: 'MessageEdited',
  data: {
    room_id: roomId,
    message_id: `msg_${roomId}_${seq}`,
    seq,
    content,
    edit_id: `edit_${roomId}_${seq}_${minute}`,
    edited_at: at(minute),
  },
});

const deleted = (roomId: string, seq: number, minute: number): RoomEvent => ({
  type: 'MessageDeleted',
  data: {
    room_id: roomId,
    message_id: `msg_${roomId}_${seq}`,
    seq,
    deleted_by: 'alice',
    deleted_at: at(minute),
  },
});

const reacted = (roomId: string, seq: number, userId: string, emoji: string, minute: number): RoomEvent => ({
  type: 'ReactionAdded',
  data: {
    room_id: roomId,
    message_id: `msg_${roomId}_${seq}`,
    seq,
    user_id: userId,
    emoji,
    count: 1,
    reacted_at: at(minute),
  },
});

const unreacted = (roomId: string, seq: number, userId: string, emoji: string): RoomEvent => ({
  type: 'ReactionRemoved',
  data: {
    room_id: roomId,
    message_id: `msg_${roomId}_${seq}`,
    seq,
    user_id: userId,
    emoji,
    count: 0,
    removed_at: at(59),
  },
});

const sent = (roomId: string, seq: number, senderId: string): RoomEvent => ({
  type: 'MessageSent',
  data: message(roomId, seq, senderId),
});

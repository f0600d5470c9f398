import { uniqueId, withOpenedReadModel, type OpenedReadModel } from '@chat/testkit';
import { describe, expect, it } from 'vitest';
import type { NotificationChange, NotificationReadModel } from './port';

/** The one suite every NotificationReadModel adapter passes. Ids are unique per test. */
export const notificationReadModelConformance = (
  name: string,
  open: () => Promise<OpenedReadModel<NotificationReadModel>>,
) => {
  const withReadModel = withOpenedReadModel(open);
  /** Applies changes as successive revisions of one stream. */
  const streamOf = (readModel: NotificationReadModel, stream: string) => {
    let revision = 0;
    return (...changes: NotificationChange[]) => readModel.apply({ stream, revision: revision++ }, changes);
  };

  describe(`NotificationReadModel conformance: ${name}`, () => {
    it(
      'knows the members of a room until it is deleted',
      withReadModel(async (readModel) => {
        const room = uniqueId('room');
        const [alice, bob] = [uniqueId('alice'), uniqueId('bob')];
        const next = streamOf(readModel, `room-${room}`);
        await next(
          { kind: 'room_created', room_id: room },
          { kind: 'member_added', room_id: room, user_id: alice },
        );
        await next({ kind: 'member_added', room_id: room, user_id: bob });
        expect(await readModel.roomMembers(room)).toEqual([alice, bob].sort());
        expect(await readModel.isMember(room, bob)).toBe(true);
        await next({ kind: 'member_removed', room_id: room, user_id: bob });
        expect(await readModel.roomMembers(room)).toEqual([alice]);
        expect(await readModel.isMember(room, bob)).toBe(false);
        await next({ kind: 'room_deleted', room_id: room });
        expect(await readModel.roomMembers(room)).toEqual([]);
        expect(await readModel.isMember(room, alice)).toBe(false);
      }),
    );

    it(
      'applies each revision of a stream once',
      withReadModel(async (readModel) => {
        const room = uniqueId('room');
        const stream = `room-${room}`;
        expect(await readModel.appliedRevision(stream)).toBeNull();
        expect(
          await readModel.apply({ stream, revision: 0 }, [{ kind: 'room_created', room_id: room }]),
        ).toBe(true);
        const joined: NotificationChange[] = [{ kind: 'member_added', room_id: room, user_id: 'bob' }];
        expect(await readModel.apply({ stream, revision: 1 }, joined)).toBe(true);
        await readModel.apply({ stream, revision: 2 }, [
          { kind: 'member_removed', room_id: room, user_id: 'bob' },
        ]);
        expect(await readModel.apply({ stream, revision: 1 }, joined)).toBe(false);
        expect(await readModel.roomMembers(room)).toEqual([]);
        expect(await readModel.appliedRevision(stream)).toBe(2);
      }),
    );

    it(
      'counts unread messages by others after the read mark and the join',
      withReadModel(async (readModel) => {
        const room = uniqueId('room');
        const [alice, bob, carol] = [uniqueId('alice'), uniqueId('bob'), uniqueId('carol')];
        const next = streamOf(readModel, `room-${room}`);
        const post = (seq: number, sender_id: string) =>
          next({ kind: 'message_posted', room_id: room, seq, sender_id });
        await next(
          { kind: 'room_created', room_id: room },
          { kind: 'member_added', room_id: room, user_id: alice },
        );
        await post(1, alice);
        await next({ kind: 'member_added', room_id: room, user_id: bob });
        await post(2, alice);
        await post(3, bob);
        await post(4, alice);
        expect(await readModel.unreadCounts(bob)).toEqual([{ room_id: room, unread: 2, last_seq: 4 }]);
        expect(await readModel.unreadCounts(alice)).toEqual([{ room_id: room, unread: 1, last_seq: 4 }]);
        expect(await readModel.unreadCounts(carol)).toEqual([]);

        const marks = streamOf(readModel, `notify-user-${bob}`);
        await marks({ kind: 'read_marked', user_id: bob, room_id: room, seq: 2 });
        expect(await readModel.unreadCounts(bob)).toEqual([{ room_id: room, unread: 1, last_seq: 4 }]);
        // A mark never moves back.
        await marks({ kind: 'read_marked', user_id: bob, room_id: room, seq: 1 });
        expect(await readModel.unreadCounts(bob)).toEqual([{ room_id: room, unread: 1, last_seq: 4 }]);
        await marks({ kind: 'read_marked', user_id: bob, room_id: room, seq: 4 });
        expect(await readModel.unreadCounts(bob)).toEqual([{ room_id: room, unread: 0, last_seq: 4 }]);

        await next({ kind: 'room_deleted', room_id: room });
        expect(await readModel.unreadCounts(bob)).toEqual([]);
      }),
    );

    it(
      "keeps a user's subscriptions, webhook and mutes",
      withReadModel(async (readModel) => {
        const [user, other, room] = [uniqueId('user'), uniqueId('user'), uniqueId('room')];
        const next = streamOf(readModel, `notify-user-${user}`);
        const subscription = (id: string, created_at: string) => ({
          subscription_id: id,
          user_id: user,
          endpoint: `https://push.example/${id}`,
          keys: { p256dh: `p256dh-${id}`, auth: `auth-${id}` },
          created_at,
        });
        const [first, second] = [uniqueId('sub'), uniqueId('sub')];
        await next({
          kind: 'subscription_added',
          subscription: subscription(first, '2024-05-01T10:00:00.000Z'),
        });
        await next({
          kind: 'subscription_added',
          subscription: subscription(second, '2024-05-01T11:00:00.000Z'),
        });
        expect(await readModel.subscriptionsOf(user)).toEqual([
          subscription(first, '2024-05-01T10:00:00.000Z'),
          subscription(second, '2024-05-01T11:00:00.000Z'),
        ]);
        await next({ kind: 'subscription_removed', subscription_id: first });
        expect((await readModel.subscriptionsOf(user)).map((s) => s.subscription_id)).toEqual([second]);
        expect(await readModel.subscriptionsOf(other)).toEqual([]);

        expect(await readModel.webhookOf(user)).toBeNull();
        await next({ kind: 'webhook_set', user_id: user, url: 'https://hooks.example/a', secret: 's1' });
        await next({ kind: 'webhook_set', user_id: user, url: 'https://hooks.example/b', secret: 's2' });
        expect(await readModel.webhookOf(user)).toEqual({ url: 'https://hooks.example/b', secret: 's2' });
        await next({ kind: 'webhook_removed', user_id: user });
        expect(await readModel.webhookOf(user)).toBeNull();

        await next({ kind: 'room_muted', user_id: user, room_id: room });
        expect(await readModel.mutedAmong(room, [user, other])).toEqual(new Set([user]));
        await next({ kind: 'room_unmuted', user_id: user, room_id: room });
        expect(await readModel.mutedAmong(room, [user, other])).toEqual(new Set());
        expect(await readModel.mutedAmong(room, [])).toEqual(new Set());
      }),
    );

    it(
      "lists a user's own dead letters, once each",
      withReadModel(async (readModel) => {
        const [user, other] = [uniqueId('user'), uniqueId('user')];
        const letter = (delivery_id: string, abandoned_at: string) => ({
          delivery_id,
          channel: 'web_push' as const,
          target_id: 'sub-1',
          room_id: 'general',
          message_id: 'msg_1',
          seq: 1,
          attempts: 5,
          reason: 'attempts_exhausted',
          last_error: 'HTTP 500',
          abandoned_at,
        });
        const [a, b] = [uniqueId('delivery'), uniqueId('delivery')];
        await readModel.apply({ stream: `notify-delivery-${a}`, revision: 6 }, [
          { kind: 'dead_lettered', user_id: user, dead_letter: letter(a, '2024-05-01T10:00:00.000Z') },
        ]);
        await readModel.apply({ stream: `notify-delivery-${b}`, revision: 6 }, [
          { kind: 'dead_lettered', user_id: user, dead_letter: letter(b, '2024-05-01T11:00:00.000Z') },
        ]);
        expect(await readModel.deadLetters(user)).toEqual([
          letter(a, '2024-05-01T10:00:00.000Z'),
          letter(b, '2024-05-01T11:00:00.000Z'),
        ]);
        expect(await readModel.deadLetters(other)).toEqual([]);
      }),
    );

    it(
      'keeps the newest presence of each user',
      withReadModel(async (readModel) => {
        const [alice, bob, carol] = [uniqueId('alice'), uniqueId('bob'), uniqueId('carol')];
        await readModel.setPresence(alice, true, '2024-05-01T10:00:00.000Z');
        await readModel.setPresence(bob, true, '2024-05-01T10:00:00.000Z');
        await readModel.setPresence(bob, false, '2024-05-01T10:05:00.000Z');
        // Late news of an older status changes nothing.
        await readModel.setPresence(bob, true, '2024-05-01T10:01:00.000Z');
        expect(await readModel.onlineAmong([alice, bob, carol])).toEqual(new Set([alice]));
        expect(await readModel.onlineAmong([])).toEqual(new Set());
      }),
    );
  });
};

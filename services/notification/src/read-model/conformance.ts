import { uniqueId, withOpenedReadModel, type OpenedReadModel } from '@chat/testkit';
import { describe, expect, it } from 'vitest';
import type { NotificationChange, NotificationReadModel, NotificationUpdate } from './port';

/** The one suite every NotificationReadModel adapter passes. Ids are unique per test. */
export const notificationReadModelConformance = (
  name: string,
  open: () => Promise<OpenedReadModel<NotificationReadModel>>,
) => {
  const withReadModel = withOpenedReadModel(open);
  /** Applies changes as successive revisions of one stream, one event per call. */
  const streamOf = (readModel: NotificationReadModel, stream: string) => {
    let revision = 0;
    return async (...changes: NotificationChange[]) =>
      (await readModel.applyBatch([{ at: { stream, revision: revision++ }, changes }]))[0];
  };

  describe(`NotificationReadModel conformance: ${name}`, () => {
    it(
      'applies a batch in order, each revision of a stream once, however often it comes',
      withReadModel(async (readModel) => {
        const user = uniqueId('user');
        const [room, other] = [uniqueId('room'), uniqueId('room')];
        const stream = `notify-user-${user}`;
        const at = (revision: number, ...changes: NotificationChange[]): NotificationUpdate => ({
          at: { stream, revision },
          changes,
        });
        const muted = at(0, { kind: 'room_muted', user_id: user, room_id: room });
        expect(await readModel.appliedRevision(stream)).toBeNull();
        expect(
          await readModel.applyBatch([
            muted,
            at(1, { kind: 'room_unmuted', user_id: user, room_id: room }),
            muted,
            at(2, { kind: 'room_muted', user_id: user, room_id: other }),
          ]),
        ).toEqual([true, true, false, true]);
        expect(
          await readModel.applyBatch([muted, at(3, { kind: 'room_muted', user_id: user, room_id: room })]),
        ).toEqual([false, true]);
        expect(await readModel.appliedRevision(stream)).toBe(3);
        expect(await readModel.mutedAmong(room, [user])).toEqual(new Set([user]));
        expect(await readModel.mutedAmong(other, [user])).toEqual(new Set([user]));
      }),
    );

    it(
      'keeps the order of a batch of many changes to one thing',
      withReadModel(async (readModel) => {
        const user = uniqueId('user');
        const updates = Array.from({ length: 101 }, (_, revision) => ({
          at: { stream: `notify-user-${user}`, revision },
          changes: [
            revision % 2 === 0
              ? {
                  kind: 'webhook_set' as const,
                  user_id: user,
                  url: `https://hooks.example/${revision}`,
                  secret: 's',
                }
              : { kind: 'webhook_removed' as const, user_id: user },
          ],
        }));
        expect((await readModel.applyBatch(updates)).every(Boolean)).toBe(true);
        expect(await readModel.webhookOf(user)).toEqual({ url: 'https://hooks.example/100', secret: 's' });
      }),
    );

    it(
      'counts unread messages by others after the read mark and the join, in the rooms given',
      withReadModel(async (readModel) => {
        const [room, quiet] = [uniqueId('room'), uniqueId('room')];
        const [alice, bob] = [uniqueId('alice'), uniqueId('bob')];
        const posted = (seq: number, sender_id: string): NotificationUpdate => ({
          at: { stream: `room-${room}`, revision: seq },
          changes: [{ kind: 'message_posted', room_id: room, seq, sender_id }],
        });
        // One batch, delivered twice: each message counts once.
        const batch = [posted(1, alice), posted(2, alice), posted(3, bob), posted(4, alice)];
        await readModel.applyBatch(batch);
        await readModel.applyBatch(batch);
        // Bob joined after seq 1; alice was there from the start.
        const bobs = [
          { room_id: room, joined_after_seq: 1 },
          { room_id: quiet, joined_after_seq: 0 },
        ];
        expect(await readModel.unreadCounts(bob, bobs)).toEqual([
          { room_id: room, unread: 2, last_seq: 4 },
          { room_id: quiet, unread: 0, last_seq: 0 },
        ]);
        expect(await readModel.unreadCounts(alice, [{ room_id: room, joined_after_seq: 0 }])).toEqual([
          { room_id: room, unread: 1, last_seq: 4 },
        ]);
        expect(await readModel.unreadCounts(alice, [])).toEqual([]);

        const marks = streamOf(readModel, `notify-user-${bob}`);
        await marks({ kind: 'read_marked', user_id: bob, room_id: room, seq: 2 });
        expect(await readModel.unreadCounts(bob, bobs.slice(0, 1))).toEqual([
          { room_id: room, unread: 1, last_seq: 4 },
        ]);
        // A mark never moves back.
        await marks({ kind: 'read_marked', user_id: bob, room_id: room, seq: 1 });
        expect(await readModel.unreadCounts(bob, bobs.slice(0, 1))).toEqual([
          { room_id: room, unread: 1, last_seq: 4 },
        ]);
        await marks({ kind: 'read_marked', user_id: bob, room_id: room, seq: 4 });
        expect(await readModel.unreadCounts(bob, bobs.slice(0, 1))).toEqual([
          { room_id: room, unread: 0, last_seq: 4 },
        ]);
        // Left and joined again after the read mark: counted from the new join.
        await readModel.applyBatch([posted(5, alice), posted(6, alice)]);
        expect(await readModel.unreadCounts(bob, [{ room_id: room, joined_after_seq: 5 }])).toEqual([
          { room_id: room, unread: 1, last_seq: 6 },
        ]);
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
        await readModel.applyBatch([
          {
            at: { stream: `notify-delivery-${a}`, revision: 6 },
            changes: [
              { kind: 'dead_lettered', user_id: user, dead_letter: letter(a, '2024-05-01T10:00:00.000Z') },
            ],
          },
          {
            at: { stream: `notify-delivery-${b}`, revision: 6 },
            changes: [
              { kind: 'dead_lettered', user_id: user, dead_letter: letter(b, '2024-05-01T11:00:00.000Z') },
            ],
          },
        ]);
        expect(await readModel.deadLetters(user)).toEqual([
          letter(a, '2024-05-01T10:00:00.000Z'),
          letter(b, '2024-05-01T11:00:00.000Z'),
        ]);
        expect(await readModel.deadLetters(other)).toEqual([]);
      }),
    );

    it(
      'lists pending deliveries oldest first, by pages, until each is delivered or abandoned',
      withReadModel(async (readModel) => {
        const user = uniqueId('user');
        // Far ahead, so that no other test's deliveries come between these.
        const base = Date.parse('2999-01-01T00:00:00.000Z') + Math.floor(Math.random() * 1e9);
        const pending = (delivery_id: string, offsetMs: number) => ({
          delivery_id,
          user_id: user,
          channel: 'webhook' as const,
          target_id: 'webhook',
          room_id: 'general',
          message_id: 'msg_1',
          seq: 1,
          requested_at: new Date(base + offsetMs).toISOString(),
          payload: {
            type: 'message' as const,
            room_id: 'general',
            message_id: 'msg_1',
            seq: 1,
            sender_id: 'ann',
            preview: 'hello',
            created_at: '2024-05-01T10:00:00.000Z',
          },
        });
        const [a, b, c] = [pending(uniqueId('d'), 0), pending(uniqueId('d'), 1), pending(uniqueId('d'), 2)];
        const streams = new Map(
          [a, b, c].map((each) => [
            each.delivery_id,
            streamOf(readModel, `notify-delivery-${each.delivery_id}`),
          ]),
        );
        for (const each of [c, a, b])
          await streams.get(each.delivery_id)!({ kind: 'delivery_pending', delivery: each });
        const before = { ...a, requested_at: new Date(base - 1).toISOString() };
        expect(await readModel.pendingDeliveries(before, 2)).toEqual([a, b]);
        expect(await readModel.pendingDeliveries(b, 2)).toEqual([c]);

        await streams.get(b.delivery_id)!({ kind: 'delivery_ended', delivery_id: b.delivery_id });
        expect(await readModel.pendingDeliveries(before, 3)).toEqual([a, c]);
        const mine = (await readModel.pendingDeliveries(null, 10_000)).filter(
          (each) => each.user_id === user,
        );
        expect(mine).toEqual([a, c]);
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

    it(
      "forgets what it holds of an erased user and takes in nothing of theirs afterwards; others' stays",
      withReadModel(async (readModel) => {
        const [erased, other] = [uniqueId('erased'), uniqueId('other')];
        const room = uniqueId('room');
        const base = Date.parse('2999-06-01T00:00:00.000Z') + Math.floor(Math.random() * 1e9);
        const delivery = (user_id: string, sender_id: string) => ({
          delivery_id: uniqueId('d'),
          user_id,
          channel: 'webhook' as const,
          target_id: 'webhook',
          room_id: room,
          message_id: 'msg_1',
          seq: 1,
          requested_at: new Date(base).toISOString(),
          payload: {
            type: 'message' as const,
            room_id: room,
            message_id: 'msg_1',
            seq: 1,
            sender_id,
            preview: 'the words',
            created_at: '2024-05-01T10:00:00.000Z',
          },
        });
        const [toThem, ofTheirs, unrelated] = [
          delivery(erased, other),
          delivery(other, erased),
          delivery(other, other),
        ];
        const settings = (user: string, endpoint: string): NotificationChange[] => [
          {
            kind: 'subscription_added',
            subscription: {
              subscription_id: uniqueId('sub'),
              user_id: user,
              endpoint,
              keys: { p256dh: 'p', auth: 'a' },
              created_at: '2024-05-01T10:00:00.000Z',
            },
          },
          { kind: 'webhook_set', user_id: user, url: `${endpoint}/hook`, secret: 's' },
          { kind: 'room_muted', user_id: user, room_id: room },
          { kind: 'read_marked', user_id: user, room_id: room, seq: 1 },
        ];
        await streamOf(
          readModel,
          `notify-user-${erased}`,
        )(...settings(erased, 'https://push.example/erased'));
        await streamOf(readModel, `notify-user-${other}`)(...settings(other, 'https://push.example/other'));
        for (const each of [toThem, ofTheirs, unrelated]) {
          await streamOf(
            readModel,
            `notify-delivery-${each.delivery_id}`,
          )({ kind: 'delivery_pending', delivery: each });
        }
        await readModel.setPresence(erased, true, '2024-05-01T10:00:00.000Z');

        const erasure = streamOf(readModel, `user-${erased}`);
        expect(await erasure({ kind: 'user_erased', user_id: erased })).toBe(true);
        await streamOf(
          readModel,
          `notify-user-${erased}-late`,
        )(...settings(erased, 'https://push.example/late'));
        await readModel.setPresence(erased, true, '2024-05-01T11:00:00.000Z');

        expect(await readModel.subscriptionsOf(erased)).toEqual([]);
        expect(await readModel.webhookOf(erased)).toBeNull();
        expect(await readModel.mutedAmong(room, [erased, other])).toEqual(new Set([other]));
        expect(await readModel.onlineAmong([erased])).toEqual(new Set());
        const pending = (await readModel.pendingDeliveries(null, 10_000)).map((each) => each.delivery_id);
        expect(pending).toContain(unrelated.delivery_id);
        expect(pending).not.toContain(toThem.delivery_id);
        expect(pending).not.toContain(ofTheirs.delivery_id);
        expect(await readModel.subscriptionsOf(other)).toHaveLength(1);
        expect(await readModel.webhookOf(other)).toEqual({
          url: 'https://push.example/other/hook',
          secret: 's',
        });
      }),
    );
  });
};

import { isSealed } from '@chat/privacy';
import { cipherInMemory } from '@chat/privacy/testing';
import type { RoomAccess } from '@chat/contracts';
import { AggregateRepository, toEventRecord } from '@chat/event-sourcing';
import type { EventStore } from '@chat/eventstore';
import { SqliteEventStore } from '@chat/eventstore/sqlite';
import { eventually } from '@chat/testkit';
import { createLogger } from '@chat/runtime';
import { describe, expect, it } from 'vitest';
import { notificationProjection } from '../read-model/projections';
import { SqliteNotificationReadModel } from '../read-model/sqlite-read-model';
import { createUserHandler } from '../users/user-handler';
import { userDecider } from '../users/decide';
import { deliveryDecider, type AttemptResult } from './decide';
import { createDispatcher } from './dispatcher';

const MEMBERS = ['ann', 'u1', 'u2', 'u3', 'u4', 'u5'];
const room: RoomAccess = {
  room_id: 'r1',
  kind: 'group',
  private: true,
  deleted: false,
  owner_id: 'ann',
  members: MEMBERS.map((user_id) => ({ user_id, role: 'member', joined_at: '', joined_after_seq: 0 })),
  revision: 1,
};

/** Applies every event of the store to the read model, as the relay and the projection would. */
const project = async (store: EventStore, readModel: SqliteNotificationReadModel) => {
  const last = await store.lastPosition();
  const subscription = store.subscribe();
  const records = [];
  for await (const event of subscription) {
    records.push(toEventRecord(event));
    if (event.position === last) break;
  }
  await subscription.close();
  await notificationProjection(readModel).applyBatch(records);
};

describe('the dispatcher under a flood of deliveries', () => {
  it('attempts a bounded number at once; the others wait pending and are attempted as places free up', async () => {
    const store = SqliteEventStore.open(':memory:');
    const readModel = SqliteNotificationReadModel.open(':memory:');
    await readModel.applyBatch(
      MEMBERS.slice(1).map((user_id, revision) => ({
        at: { stream: `notify-user-${user_id}`, revision },
        changes: [{ kind: 'webhook_set', user_id, url: `http://hooks.test/${user_id}`, secret: 's' }],
      })),
    );
    const releases: Array<(result: AttemptResult) => void> = [];
    const previews: string[] = [];
    let attempted = 0;
    const dispatcher = createDispatcher({
      readModel,
      access: { get: async () => room, caughtUp: async () => true },
      deliveries: new AggregateRepository(store, deliveryDecider),
      users: createUserHandler({ repository: new AggregateRepository(store, userDecider), readModel }),
      sender: {
        send: (_target, payload) => {
          previews.push(payload.preview);
          attempted++;
          return new Promise<AttemptResult>((resolve) => releases.push(resolve));
        },
      },
      options: { retryBaseMs: 10, maxAttempts: 3, enabled: () => true, maxActive: 2 },
      logger: createLogger('notification', 'silent'),
      cipher: await cipherInMemory(),
    });
    const message = {
      room_id: 'r1',
      message_id: 'm1',
      seq: 1,
      sender_id: 'ann',
      content: 'hello',
      message_type: 'text' as const,
      client_msg_id: null,
      created_at: new Date().toISOString(),
    };
    await dispatcher.onMessagesSent([{ message, correlationId: 'c' }]);
    expect(attempted).toBe(2);
    await project(store, readModel);
    const pending = await readModel.pendingDeliveries(null, 10);
    expect(pending).toHaveLength(5);
    // Kept sealed in the delivery streams (and so in the read model), pushed in clear.
    expect(pending.every(({ payload }) => isSealed(payload.preview))).toBe(true);

    for (let delivered = 0; delivered < 5; delivered++) {
      await eventually(() => expect(releases.length).toBeGreaterThan(delivered));
      releases[delivered]!({ ok: true, status: 200 });
      await eventually(() => expect(attempted).toBe(Math.min(delivered + 3, 5)));
    }
    await dispatcher.stop();
    await project(store, readModel);
    expect(await readModel.pendingDeliveries(null, 10)).toEqual([]);
    expect(releases).toHaveLength(5);
    expect(previews).toEqual(Array(5).fill('hello'));
    await readModel.close();
    await store.close();
  });
});

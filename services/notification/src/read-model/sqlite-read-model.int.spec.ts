import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sqliteFilesHolding } from '@chat/testkit';
import { describe, expect, it } from 'vitest';
import { notificationReadModelConformance } from './conformance';
import { SqliteNotificationReadModel } from './sqlite-read-model';

notificationReadModelConformance('SQLite', async () => {
  const readModel = SqliteNotificationReadModel.open(':memory:');
  return { readModel, dispose: () => readModel.close() };
});

describe('SQLite notification read model erasing a user', () => {
  it('leaves no byte of their endpoints, webhook or previews in its files', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'notification-read-model-'));
    const path = join(directory, 'read-model.db');
    const readModel = SqliteNotificationReadModel.open(path);
    const canary = `canary${crypto.randomUUID().replaceAll('-', '')}`;
    const at = '2024-05-01T10:00:00.000Z';
    await readModel.applyBatch([
      {
        at: { stream: 'notify-user-alice', revision: 0 },
        changes: [
          {
            kind: 'subscription_added',
            subscription: {
              subscription_id: 's1',
              user_id: 'alice',
              endpoint: `https://push.example/${canary}`,
              keys: { p256dh: 'p', auth: 'a' },
              created_at: at,
            },
          },
          { kind: 'webhook_set', user_id: 'alice', url: `https://hooks.example/${canary}`, secret: 's' },
        ],
      },
      {
        at: { stream: 'notify-delivery-d1', revision: 0 },
        changes: [
          {
            kind: 'delivery_pending',
            delivery: {
              delivery_id: 'd1',
              user_id: 'bob',
              channel: 'webhook',
              target_id: 'webhook',
              room_id: 'r1',
              message_id: 'm1',
              seq: 1,
              requested_at: at,
              payload: {
                type: 'message',
                room_id: 'r1',
                message_id: 'm1',
                seq: 1,
                sender_id: 'alice',
                preview: `hello ${canary}`,
                created_at: at,
              },
            },
          },
        ],
      },
    ]);
    expect(sqliteFilesHolding(path, canary)).not.toEqual([]);
    await readModel.applyBatch([
      { at: { stream: 'user-alice', revision: 0 }, changes: [{ kind: 'user_erased', user_id: 'alice' }] },
    ]);
    expect(sqliteFilesHolding(path, canary)).toEqual([]);
    await readModel.close();
    rmSync(directory, { recursive: true, force: true });
  });
});

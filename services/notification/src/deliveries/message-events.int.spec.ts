import type { EventRecord } from '@chat/contracts';
import { contentAad } from '@chat/privacy';
import { cipherInMemory } from '@chat/privacy/testing';
import { createLogger } from '@chat/runtime';
import { describe, expect, it } from 'vitest';
import { SqliteNotificationReadModel } from '../read-model/sqlite-read-model';
import type { SentMessage } from './dispatcher';
import { messageEventsConsumer } from './message-events';

const T = '2024-05-01T10:00:00.000Z';
const metadata = { correlation_id: 'c', causation_id: 'c', actor_id: 'alice' };

/** The room's event at `revision`: a message of that seq, or another event of the room. */
const eventOf = (revision: number, type = 'MessageSent'): EventRecord => ({
  event_id: `e${revision}`,
  type,
  stream: 'room-r1',
  revision,
  data:
    type === 'MessageSent'
      ? {
          room_id: 'r1',
          message_id: `m${revision}`,
          seq: revision,
          sender_id: 'alice',
          content: 'hi',
          message_type: 'text',
          client_msg_id: null,
          created_at: T,
        }
      : { room_id: 'r1', name: 'Renamed', private: true, updated_at: T },
  metadata,
  recorded_at: T,
});

describe('the consumer of message.events', () => {
  it('hands every message of a batch to the dispatcher, in order, redelivered ones again; counts each once', async () => {
    const readModel = SqliteNotificationReadModel.open(':memory:');
    const handed: number[] = [];
    const consumer = messageEventsConsumer(
      readModel,
      {
        onMessagesSent: async (sent: SentMessage[]) =>
          void handed.push(...sent.map(({ message }) => message.seq)),
      },
      { cipher: await cipherInMemory(), logger: createLogger('notification-test', 'silent') },
    );
    await consumer.applyBatch([eventOf(1), eventOf(2, 'RoomUpdated'), eventOf(3)]);
    await consumer.applyBatch([eventOf(3), eventOf(4)]);
    await consumer.applyBatch([eventOf(1), eventOf(2, 'RoomUpdated'), eventOf(3), eventOf(4)]);
    // A batch that failed after some pushes were requested comes again whole; the deliveries'
    // ids (message, user, target) make the repeats request nothing new.
    expect(handed).toEqual([1, 3, 3, 4, 1, 3, 4]);
    expect(await readModel.unreadCounts('bob', [{ room_id: 'r1', joined_after_seq: 0 }])).toEqual([
      { room_id: 'r1', unread: 3, last_seq: 4 },
    ]);
    await readModel.close();
  });
});

describe('the previews of pushes', () => {
  it('are made from the content opened: the events on the bus carry it sealed', async () => {
    const cipher = await cipherInMemory();
    const event = eventOf(1);
    const data = event.data as { room_id: string; message_id: string; content: string };
    const sealed = await cipher.seal(
      'hello canary',
      { scope: 'r1', user_id: 'alice', at: T },
      contentAad({ room_id: 'r1', message_id: data.message_id }),
    );
    const handed: string[] = [];
    const consumer = messageEventsConsumer(
      SqliteNotificationReadModel.open(':memory:'),
      {
        onMessagesSent: async (sent: SentMessage[]) =>
          void handed.push(...sent.map(({ message }) => message.content)),
      },
      { cipher, logger: createLogger('notification-test', 'silent') },
    );
    await consumer.applyBatch([{ ...event, data: { ...data, content: sealed } }]);
    expect(handed).toEqual(['hello canary']);
  });
});

import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compile, MessageServiceEvents, roomStream, type ChatMessage } from '@chat/contracts';
import { eventIdFor } from '@chat/event-sourcing';
import { SqliteCheckpointStore } from '@chat/event-sourcing/sqlite';
import { SqliteEventStore } from '@chat/eventstore/sqlite';
import { SqliteReadModel } from '@chat/message-service';
import { FormatRegistry } from '@sinclair/typebox';
import { progress } from '../print';
import { startEmbeddedTarget } from '../targets/embedded';
import { REPO_ROOT } from '../targets/processes';

/** The one member of the seeded room: its owner wrote every message and reads them back. */
export const HISTORIAN = 'historian';

export interface SeededHistory {
  data_dir: string;
  /** Of the sources that define the files' formats: a change there means seeding anew. */
  format: string;
  room_id: string;
  messages: number;
  seeded_in_s: number;
  reused: boolean;
}

/**
 * The embedded engines' on-disk formats live in these files; a seeded directory made before one
 * of them changed (a new column, say) is made again rather than trusted.
 */
const FORMAT_SOURCES = [
  'services/message/src/read-model/sqlite-sql.ts',
  'packages/event-sourcing/src/sqlite-applied-revisions.ts',
  'packages/eventstore/src/sqlite/sqlite-event-store.ts',
  'packages/event-sourcing/src/sqlite-checkpoint-store.ts',
  'packages/bus/src/embedded/sqlite-log.ts',
];

const formatFingerprint = (): string => {
  const hash = createHash('sha256');
  for (const source of FORMAT_SOURCES) {
    const path = join(REPO_ROOT, source);
    hash.update(source).update(existsSync(path) ? readFileSync(path) : 'missing');
  }
  return hash.digest('hex').slice(0, 16);
};

/** The relay's checkpoint name in the message service (services/message/src/service.ts). */
const RELAY_CHECKPOINT = 'message-relay';
const BATCH = 1_000;
// The contract's timestamps are `format: date-time`; the check here is what that format means.
if (!FormatRegistry.Has('date-time')) {
  FormatRegistry.Set(
    'date-time',
    (value) => /^\d{4}-\d\d-\d\dT/.test(value) && !Number.isNaN(Date.parse(value)),
  );
}
const validMessageSent = compile(MessageServiceEvents.MessageSent);

/** The id the message service derives for a send (services/message/src/messages/message-id.ts). */
const messageIdFor = (roomId: string, actorId: string, commandId: string) =>
  `msg_${createHash('sha256')
    .update(JSON.stringify([roomId, actorId, commandId]))
    .digest('base64url')
    .slice(0, 22)}`;

/**
 * A room of `count` messages in an embedded data directory, made without a million WebSocket
 * sends, through the same ports the message service writes with:
 *
 * 1. the platform (as its own process) creates the room over REST, as a user would: the room's
 *    stream, its read-model row and its owner's membership are the service's own work;
 * 2. `MessageSent` events, each checked against the contract, are appended to the room's stream
 *    in the SQLite event store, a thousand per append, with the expected revision and the event
 *    ids the aggregate repository derives from command ids;
 * 3. the same messages go into the SQLite read model through its `apply` port, one transaction
 *    per thousand, at the stream revision they reached (the projection's own bookkeeping);
 * 4. the relay's checkpoint is moved past them, so the platform does not republish a million
 *    historical events to the bus at its next start: they are history, not news.
 *
 * Kept in `dataDir` and reused while its marker says it holds `count` messages in today's formats.
 */
export const seedHistory = async (dataDir: string, count: number): Promise<SeededHistory> => {
  const marker = join(dataDir, 'bench-seed.json');
  const format = formatFingerprint();
  if (existsSync(marker)) {
    const seeded = JSON.parse(readFileSync(marker, 'utf8')) as SeededHistory;
    if (seeded.messages === count && seeded.format === format) return { ...seeded, reused: true };
  }
  const began = performance.now();
  rmSync(dataDir, { recursive: true, force: true });

  progress(`seeding ${count} messages into ${dataDir}: creating the room over REST`);
  const platform = await startEmbeddedTarget({ dataDir });
  const roomId = await platform.createRoom(HISTORIAN, 'history');
  await platform.stop();

  const store = SqliteEventStore.open(join(dataDir, 'message', 'events.db'));
  const readModel = SqliteReadModel.open(join(dataDir, 'message', 'read-model.db'));
  const checkpoints = SqliteCheckpointStore.open(join(dataDir, 'message', 'checkpoints.db'));
  try {
    const stream = roomStream(roomId);
    let revision = await store.streamRevision(stream);
    if (revision === null) throw new Error(`room ${roomId} has no stream`);
    const firstAt = Date.now() - (count + 60) * 500;
    let position = '';
    for (let from = 1; from <= count; from += BATCH) {
      const messages: ChatMessage[] = [];
      for (let seq = from; seq < from + BATCH && seq <= count; seq++) {
        const commandId = `${HISTORIAN}:seed-${seq}`;
        const message: ChatMessage = {
          room_id: roomId,
          message_id: messageIdFor(roomId, HISTORIAN, commandId),
          seq,
          sender_id: HISTORIAN,
          content: `Message ${seq} of the seeded history: the quick brown fox jumps over the lazy dog.`,
          message_type: 'text',
          client_msg_id: `seed-${seq}`,
          created_at: new Date(firstAt + seq * 500).toISOString(),
        };
        if (!validMessageSent.check(message)) {
          throw new Error(`seeded message breaks the contract: ${validMessageSent.explain(message)}`);
        }
        messages.push(message);
      }
      const appended = await store.append(
        stream,
        messages.map((message) => ({
          id: eventIdFor(`${HISTORIAN}:seed-${message.seq}`, 0),
          type: 'MessageSent',
          data: message,
          metadata: {
            correlation_id: `seed-${message.seq}`,
            causation_id: `${HISTORIAN}:seed-${message.seq}`,
            actor_id: HISTORIAN,
          },
        })),
        revision,
      );
      revision = appended.nextExpectedRevision;
      position = appended.position;
      await readModel.applyBatch([
        {
          at: { stream, revision },
          changes: messages.map((message) => ({ kind: 'message_added', message })),
        },
      ]);
      if (from % 100_000 === 1 && from > 1) progress(`seeded ${from - 1} messages`);
    }
    // As the relay would (under its lease), so it does not republish what the seeding appended.
    const seeder = `history-seed-${process.pid}`;
    await checkpoints.acquire(RELAY_CHECKPOINT, seeder, 60_000);
    await checkpoints.save(RELAY_CHECKPOINT, position, seeder);
    await checkpoints.release(RELAY_CHECKPOINT, seeder);
  } finally {
    await store.close();
    await readModel.close();
    checkpoints.close();
  }
  const seeded: SeededHistory = {
    data_dir: dataDir,
    format,
    room_id: roomId,
    messages: count,
    seeded_in_s: Math.round((performance.now() - began) / 100) / 10,
    reused: false,
  };
  writeFileSync(marker, JSON.stringify(seeded));
  progress(`seeded ${count} messages in ${seeded.seeded_in_s} s`);
  return seeded;
};

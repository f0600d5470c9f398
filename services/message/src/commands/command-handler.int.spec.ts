import { roomStream, type CommandContext, type MessageServiceCommand } from '@chat/contracts';
import { AggregateRepository } from '@chat/event-sourcing';
import {
  WrongExpectedRevisionError,
  type EventStore,
  type RecordedEvent,
  type StreamAppend,
} from '@chat/eventstore';
import { SqliteEventStore } from '@chat/eventstore/sqlite';
import { loadSettings, Registry } from '@chat/runtime';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { roomDecider } from '../room-decider';
import { createCommandHandler, type CommandToHandle, type Handled } from './command-handler';

const settings = loadSettings({});

/** The store as the handler sees it, counting the appends it makes. */
const counting = (store: EventStore) => {
  const appends: StreamAppend[][] = [];
  const counted: EventStore = Object.assign(Object.create(store) as EventStore, {
    appendMany: async (batch: StreamAppend[]) => {
      appends.push(batch);
      return store.appendMany(batch);
    },
  });
  return { store: counted, appends };
};

const handlerOn = (store: EventStore) =>
  createCommandHandler({
    repository: new AggregateRepository(store, roomDecider),
    settings,
    registry: new Registry(),
    verifiedFiles: { findVerifiedFile: async () => null, caughtUp: async () => true },
  });

let next = 0;
const command = (
  actor: string,
  body: MessageServiceCommand,
  commandId = `command-${++next}`,
): CommandToHandle => {
  const context: CommandContext = {
    command_id: commandId,
    correlation_id: `correlation-${commandId}`,
    actor_id: actor,
    actor_is_admin: false,
    issued_at: new Date().toISOString(),
    reply_to: 'gateway-1',
  };
  return { context, command: body };
};
const create = (owner: string, roomId: string, members: string[] = []) =>
  command(owner, { type: 'CreateRoom', data: { room_id: roomId, name: roomId, private: true, members } });
const send = (sender: string, roomId: string, clientMsgId: string | null = null, commandId?: string) =>
  command(
    sender,
    {
      type: 'SendMessage',
      data: {
        room_id: roomId,
        content: `hello from ${sender}`,
        message_type: 'text',
        client_msg_id: clientMsgId,
      },
    },
    commandId,
  );

const seqOf = (handled: Handled | undefined) =>
  handled?.ok && handled.result.kind === 'message_sent' ? handled.result.seq : null;

const all = async (store: EventStore, stream: string) => {
  const events: RecordedEvent[] = [];
  for await (const event of store.readStream(stream)) events.push(event);
  return events;
};

describe('deciding a batch of commands', () => {
  let sqlite: SqliteEventStore;

  beforeEach(() => {
    sqlite = SqliteEventStore.open(':memory:');
  });
  afterEach(async () => {
    await sqlite.close();
  });

  it("decides each room's commands in order on one load, and appends every room in one appendMany", async () => {
    const { store, appends } = counting(sqlite);
    const handler = handlerOn(store);
    await handler.handleBatch([create('ann', 'r1', ['bob']), create('cy', 'r2')]);
    appends.length = 0;
    const handled = await handler.handleBatch([
      send('ann', 'r1'),
      send('cy', 'r2'),
      send('bob', 'r1'),
      send('eve', 'r1'), // not a member of a private room
      send('ann', 'r1'),
      send('cy', 'r2'),
    ]);
    expect(handled.map(seqOf)).toEqual([1, 1, 2, null, 3, 2]);
    expect(handled[3]).toMatchObject({ ok: false, error: { code: 'room_not_found' } });
    expect(appends).toHaveLength(1);
    expect(appends[0]!.map(({ streamName, events }) => [streamName, events.length])).toEqual([
      [roomStream('r1'), 3],
      [roomStream('r2'), 2],
    ]);
    const seqs = (await all(sqlite, roomStream('r1')))
      .filter((event) => event.type === 'MessageSent')
      .map((event) => (event.data as { seq: number }).seq);
    expect(seqs).toEqual([1, 2, 3]);
  });

  it('answers a command repeated inside the batch, or redelivered with it after a crash, with the original message', async () => {
    await handlerOn(sqlite).handleBatch([create('ann', 'r1', ['bob'])]);
    const fromAnn = send('ann', 'r1', 'a-1');
    // The same send twice: a client retrying before its first ack came back.
    const batch = [fromAnn, send('bob', 'r1', 'b-1'), fromAnn];
    const first = await handlerOn(sqlite).handleBatch(batch);
    expect(first.map(seqOf)).toEqual([1, 2, 1]);
    expect(first[2]).toMatchObject({ ok: true, result: { duplicate: true } });
    const revision = await sqlite.streamRevision(roomStream('r1'));

    // The process crashed after the append, before the outcomes went out: the whole batch comes
    // again, to a new process with nothing cached.
    const again = await handlerOn(sqlite).handleBatch(batch);
    expect(again.map(seqOf)).toEqual([1, 2, 1]);
    expect(
      again.every((each) => each.ok && each.result.kind === 'message_sent' && each.result.duplicate),
    ).toBe(true);
    expect(await sqlite.streamRevision(roomStream('r1'))).toBe(revision);
  });

  it('decides a room again on fresh state when another writer appended first, keeping seqs gap-free', async () => {
    await handlerOn(sqlite).handleBatch([create('ann', 'r1', ['bob'])]);
    const ours = handlerOn(sqlite);
    await ours.handleBatch([send('ann', 'r1')]); // caches the room at this revision
    await handlerOn(sqlite).handleBatch([send('bob', 'r1'), send('bob', 'r1')]); // another replica
    const handled = await ours.handleBatch([send('ann', 'r1'), send('ann', 'r1')]);
    expect(handled.map(seqOf)).toEqual([4, 5]);
  });

  it('rejects with conflict, instead of throwing, when a room keeps changing under the batch', async () => {
    await handlerOn(sqlite).handleBatch([create('ann', 'r1')]);
    const alwaysConflicting: EventStore = Object.assign(Object.create(sqlite) as EventStore, {
      appendMany: async (batch: StreamAppend[]) =>
        batch.map(({ streamName, expected }) => ({
          ok: false as const,
          error: new WrongExpectedRevisionError(streamName, expected, 99),
        })),
    });
    const handled = await handlerOn(alwaysConflicting).handleBatch([send('ann', 'r1'), send('ann', 'r1')]);
    expect(handled).toEqual([
      { ok: false, error: expect.objectContaining({ code: 'conflict' }) },
      { ok: false, error: expect.objectContaining({ code: 'conflict' }) },
    ]);
  });

  it('says which accepted commands changed who may access the room, and where their append ended', async () => {
    const handler = handlerOn(sqlite);
    const [created] = await handler.handleBatch([create('ann', 'r1')]);
    expect(created).toMatchObject({ ok: true, changedAccess: true, position: expect.any(String) });
    const [sent] = await handler.handleBatch([send('ann', 'r1')]);
    expect(sent).toMatchObject({ ok: true, changedAccess: false });
    const [repeated] = await handler.handleBatch([
      command('ann', { type: 'AddMember', data: { room_id: 'r1', user_id: 'ann' } }),
    ]);
    expect(repeated).toMatchObject({ ok: true, changedAccess: false, position: null });
  });

  it('refuses malformed and unknown commands without deciding the rest of the batch any differently', async () => {
    await handlerOn(sqlite).handleBatch([create('ann', 'r1')]);
    const handled = await handlerOn(sqlite).handleBatch([
      send('ann', 'r1'),
      { context: send('ann', 'r1').context, command: { type: 'Teleport', data: {} } },
      { context: send('ann', 'r1').context, command: { type: 'SendMessage', data: { room_id: 'r1' } } },
      send('ann', 'r1'),
    ]);
    expect(handled.map((each) => (each.ok ? seqOf(each) : each.error.code))).toEqual([
      1,
      'unknown_type',
      'invalid_frame',
      2,
    ]);
  });
});

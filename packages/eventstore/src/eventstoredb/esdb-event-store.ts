import {
  ANY,
  BACKWARDS,
  END,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError,
  WrongExpectedVersionError,
  excludeSystemEvents,
  jsonEvent,
  streamNameFilter,
  type AppendExpectedRevision,
  type Position,
  type ResolvedEvent,
} from '@eventstore/db-client';
import {
  WrongExpectedRevisionError,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type ReadStreamOptions,
  type RecordedEvent,
  type StreamAppend,
  type StreamAppendResult,
  type SubscribeOptions,
  type Subscription,
} from '../port';

/**
 * Positions are `<commit>/<prepare>` of the transaction file; callers treat them as opaque and
 * only hand them back to `subscribe`.
 */
const encodePosition = (position: Position): string => `${position.commit}/${position.prepare}`;
const decodePosition = (position: string): Position => {
  const [commit, prepare] = position.split('/');
  return { commit: BigInt(commit!), prepare: BigInt(prepare!) };
};

const toAppendExpected = (expected: ExpectedRevision): AppendExpectedRevision => {
  if (expected === 'no_stream') return NO_STREAM;
  if (expected === 'stream_exists') return STREAM_EXISTS;
  if (expected === 'any') return ANY;
  return BigInt(expected);
};

const toRecorded = (resolved: ResolvedEvent): RecordedEvent | undefined => {
  const event = resolved.event;
  if (!event || !event.isJson) return undefined;
  return {
    id: event.id,
    type: event.type,
    streamName: event.streamId,
    revision: Number(event.revision),
    position: encodePosition(event.position!),
    data: event.data,
    metadata: (event.metadata ?? {}) as Record<string, unknown>,
    recordedAt: event.created,
  };
};

/** The event store port on EventStoreDB (gRPC client). Idempotent appends come from the server itself. */
export class EventStoreDbStore implements EventStore {
  private constructor(private readonly client: EventStoreDBClient) {}

  static async connect(connectionString: string): Promise<EventStoreDbStore> {
    const client = EventStoreDBClient.connectionString(connectionString);
    // Fail at start-up rather than on the first command when the server is unreachable.
    for await (const latest of client.readAll({ maxCount: 1, direction: BACKWARDS, fromPosition: END })) {
      void latest;
    }
    return new EventStoreDbStore(client);
  }

  async append(streamName: string, events: NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    try {
      const result = await this.client.appendToStream(
        streamName,
        events.map((e) => jsonEvent({ id: e.id, type: e.type, data: e.data as never, metadata: e.metadata })),
        { expectedRevision: toAppendExpected(expected) },
      );
      return {
        nextExpectedRevision: Number(result.nextExpectedRevision),
        position: encodePosition(result.position!),
      };
    } catch (error) {
      if (error instanceof WrongExpectedVersionError) {
        const actual = typeof error.actualVersion === 'bigint' ? Number(error.actualVersion) : null;
        throw new WrongExpectedRevisionError(streamName, expected, actual);
      }
      throw error;
    }
  }

  /** EventStoreDB has no transaction across streams: each stream is its own append, all at once. */
  async appendMany(appends: StreamAppend[]): Promise<StreamAppendResult[]> {
    return Promise.all(
      appends.map(async ({ streamName, events, expected }): Promise<StreamAppendResult> => {
        try {
          return { ok: true, ...(await this.append(streamName, events, expected)) };
        } catch (error) {
          if (error instanceof WrongExpectedRevisionError) return { ok: false, error };
          throw error;
        }
      }),
    );
  }

  async *readStream(streamName: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    const direction = options.direction ?? 'forwards';
    const from =
      options.fromRevision !== undefined
        ? BigInt(options.fromRevision)
        : direction === 'forwards'
          ? START
          : END;
    try {
      for await (const resolved of this.client.readStream(streamName, {
        direction: direction === 'forwards' ? FORWARDS : BACKWARDS,
        fromRevision: from,
        ...(options.maxCount !== undefined ? { maxCount: BigInt(options.maxCount) } : {}),
      })) {
        const recorded = toRecorded(resolved);
        if (recorded) yield recorded;
      }
    } catch (error) {
      if (error instanceof StreamNotFoundError) return;
      throw error;
    }
  }

  async streamRevision(streamName: string): Promise<number | null> {
    for await (const event of this.readStream(streamName, { direction: 'backwards', maxCount: 1 })) {
      return event.revision;
    }
    return null;
  }

  async lastPosition(options: Pick<SubscribeOptions, 'streamPrefixes'> = {}): Promise<string | null> {
    const prefixes = options.streamPrefixes ?? [];
    // Backwards from the end of $all, skipping system events as `subscribe` does without a filter.
    for await (const resolved of this.client.readAll({ direction: BACKWARDS, fromPosition: END })) {
      const recorded = resolved.event?.type.startsWith('$') ? undefined : toRecorded(resolved);
      if (!recorded) continue;
      if (prefixes.length === 0 || prefixes.some((prefix) => recorded.streamName.startsWith(prefix))) {
        return recorded.position;
      }
    }
    return null;
  }

  subscribe(options: SubscribeOptions = {}): Subscription {
    const subscription = this.client.subscribeToAll({
      fromPosition: options.after ? decodePosition(options.after) : START,
      filter: options.streamPrefixes
        ? streamNameFilter({ prefixes: options.streamPrefixes })
        : excludeSystemEvents(),
    });
    return {
      async *[Symbol.asyncIterator]() {
        for await (const resolved of subscription) {
          const recorded = toRecorded(resolved);
          if (recorded) yield recorded;
        }
      },
      close: async () => {
        await subscription.unsubscribe();
      },
    };
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }
}

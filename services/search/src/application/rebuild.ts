import { RoomStreamPrefix } from '@chat/contracts';
import type { EventStore, RecordedEvent } from '@chat/eventstore';
import { eventOf, searchChanges } from './projection';
import type { SearchIndex } from './search-index';

/** Events applied per round trip to the index while rebuilding. */
const BATCH = 1_000;

/** Applies a batch stream by stream: each stream's events in order, as one change list at its last revision. */
const applyBatch = async (index: SearchIndex, batch: RecordedEvent[]): Promise<void> => {
  const byStream = new Map<string, RecordedEvent[]>();
  for (const event of batch) {
    const events = byStream.get(event.streamName) ?? [];
    events.push(event);
    byStream.set(event.streamName, events);
  }
  for (const [stream, events] of byStream) {
    await index.apply(
      { stream, revision: events.at(-1)!.revision },
      events.flatMap((event) => searchChanges(eventOf(event))),
    );
  }
};

/**
 * Rebuilds the index from scratch from the message service's room streams, read-only through
 * the event store port, up to the newest event at the start. The live projection must not run
 * meanwhile (it would record revisions the rebuild has not reached yet); once restarted, it goes
 * on from its own offsets, skipping what the rebuild already applied.
 */
export const rebuildIndex = async (store: EventStore, index: SearchIndex): Promise<{ events: number }> => {
  await index.reset();
  const last = await store.lastPosition({ streamPrefixes: [RoomStreamPrefix] });
  if (last === null) return { events: 0 };
  const subscription = store.subscribe({ streamPrefixes: [RoomStreamPrefix] });
  let events = 0;
  let batch: RecordedEvent[] = [];
  try {
    for await (const event of subscription) {
      batch.push(event);
      const caughtUp = event.position === last;
      if (caughtUp || batch.length >= BATCH) {
        await applyBatch(index, batch);
        events += batch.length;
        batch = [];
      }
      if (caughtUp) break;
    }
  } finally {
    await subscription.close();
  }
  return { events };
};

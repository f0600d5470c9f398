import { RoomStreamPrefix } from '@chat/contracts';
import { toEventRecord } from '@chat/event-sourcing';
import type { EventStore, RecordedEvent } from '@chat/eventstore';
import type { ContentCipher } from '@chat/privacy';
import type { Logger } from '@chat/runtime';
import { searchProjection } from './projection';
import type { SearchIndex } from './search-index';

/** Events applied per round trip to the index while rebuilding. */
const BATCH = 1_000;

/**
 * Rebuilds the index from scratch from the message service's room streams, read-only through
 * the event store port, up to the newest event at the start, in batches through the live
 * projection. The live projection must not run meanwhile (it would record revisions the rebuild
 * has not reached yet); once restarted, it goes on from its own offsets, skipping what the
 * rebuild already applied. Who may find what is not rebuilt here: it comes from `room.access`.
 */
export const rebuildIndex = async (
  store: EventStore,
  index: SearchIndex,
  opening: { cipher: ContentCipher; logger: Logger },
): Promise<{ events: number }> => {
  await index.reset();
  const last = await store.lastPosition({ streamPrefixes: [RoomStreamPrefix] });
  if (last === null) return { events: 0 };
  const projection = searchProjection(index, opening.cipher, opening.logger);
  const subscription = store.subscribe({ streamPrefixes: [RoomStreamPrefix] });
  let events = 0;
  let batch: RecordedEvent[] = [];
  try {
    for await (const event of subscription) {
      batch.push(event);
      const caughtUp = event.position === last;
      if (caughtUp || batch.length >= BATCH) {
        await projection.applyBatch(batch.map(toEventRecord));
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

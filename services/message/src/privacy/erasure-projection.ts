import { Topics, type EventRecord, type UserErasureEvent } from '@chat/contracts';
import type { Projection } from '@chat/event-sourcing';
import type { MessageReadModel } from '../read-model/port';

/**
 * Purges the read model of each erased user, from the compacted `user.erasures`: the erasure stays
 * there, so a read model rebuilt later purges them again and takes nothing of theirs in after it.
 */
export const erasureProjection = (readModel: MessageReadModel): Projection => ({
  name: 'message-erasures',
  topics: [Topics.userErasures],
  applyBatch: async (records: EventRecord[]) => {
    await readModel.applyBatch(
      records.map((record) => {
        const event = { type: record.type, data: record.data } as UserErasureEvent;
        const { user_id, erased_at } = event.data;
        return {
          at: { stream: record.stream, revision: record.revision },
          changes: [{ kind: 'user_erased', user_id, erased_at }],
        };
      }),
    );
  },
});

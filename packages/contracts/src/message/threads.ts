import { Type, type Static } from '@sinclair/typebox';
import { Timestamp, UserId } from '../primitives';

/** A thread's root carries this in history once it has replies. */
export const ThreadSummary = Type.Object({
  reply_count: Type.Integer({ minimum: 0, description: 'Replies not deleted.' }),
  last_reply_at: Timestamp,
  participants: Type.Array(UserId, {
    maxItems: 10,
    description: 'Who replied, first repliers first; the first 10 distinct senders.',
  }),
});
export type ThreadSummary = Static<typeof ThreadSummary>;

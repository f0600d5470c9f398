import { reject, type Rejection, type Result, type ThreadSummary } from '@chat/contracts';
import type { RoomEvent } from '../room-command';
import type { MessageFacts, RoomState } from '../rooms/room';

/** How many distinct repliers a summary names: enough for a row of avatars, bounded per root. */
export const THREAD_PARTICIPANTS_CAPACITY = 10;

/** The root a reply joins, with what the room knows of it. */
export interface ThreadRoot {
  messageId: string;
  facts: MessageFacts;
}

const notFound = (): Rejection =>
  reject('message_not_found', 'Thread not found: no such message in the room.');

/**
 * The root of the thread a reply names. Threads are one level deep: naming a reply means its root.
 * An id of another room, an unknown id and a deleted message (the named one or its root) are all
 * `message_not_found`, so a reply never reveals more than history does.
 */
export const threadRootOf = (state: RoomState, threadId: string): Result<ThreadRoot, Rejection> => {
  const named = state.messages.get(threadId);
  if (!named || named.deleted) return { ok: false, error: notFound() };
  const messageId = named.threadId ?? threadId;
  const facts = named.threadId === undefined ? named : state.messages.get(named.threadId);
  if (!facts || facts.deleted) return { ok: false, error: notFound() };
  return { ok: true, value: { messageId, facts } };
};

/** The summary once a reply by `senderId` at `at` joined it. */
export const withReply = (
  summary: ThreadSummary | undefined,
  senderId: string,
  at: string,
): ThreadSummary => {
  const participants = summary?.participants ?? [];
  const joins = !participants.includes(senderId) && participants.length < THREAD_PARTICIPANTS_CAPACITY;
  return {
    reply_count: (summary?.reply_count ?? 0) + 1,
    last_reply_at: at,
    participants: joins ? [...participants, senderId] : participants,
  };
};

/**
 * The summary once a reply was deleted: one reply fewer. `last_reply_at` and `participants` say
 * who replied and when the thread last moved, so a deletion does not rewind them.
 */
export const withoutReply = (summary: ThreadSummary): ThreadSummary => ({
  ...summary,
  reply_count: Math.max(0, summary.reply_count - 1),
});

export const threadUpdated = (roomId: string, root: ThreadRoot, thread: ThreadSummary): RoomEvent => ({
  type: 'ThreadUpdated',
  data: { room_id: roomId, message_id: root.messageId, seq: root.facts.seq, thread },
});

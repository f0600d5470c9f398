import { type Bus, type Consumer, eachRecord } from '@chat/bus';
import { compile, RECORD_KIND_HEADER, ResumeQuery, roomStream, Topics, type Outcome } from '@chat/contracts';
import { refuseNonMember } from '@chat/room-access';
import { counter, type Logger, type Registry } from '@chat/runtime';
import { withReactions } from '../reactions/history';
import type { MessageReadModel } from '../read-model/port';
import { factsOf } from '../rooms/access';
import type { RoomRepository } from './command-handler';
import { parseRecord } from './incoming-record';

export type ResumeAnswer = Extract<Outcome, { kind: 'resume_page' | 'resume_refused' }>;

const validQuery = compile(ResumeQuery);

/**
 * A page of the messages after the client's last seq, if the user may read the room. Membership is
 * read off the room's own state, not the read model: the join that precedes a resume may not be in
 * the read model yet, and the page only needs what the read model does hold (the gateway splices it
 * with the live stream until they meet).
 */
export const answerResume = async (
  deps: { readModel: MessageReadModel; rooms: Pick<RoomRepository, 'load'> },
  query: ResumeQuery,
): Promise<ResumeAnswer> => {
  const { readModel, rooms } = deps;
  const { query_id, reply_to, room_id } = query;
  const { state } = await rooms.load(roomStream(room_id));
  const refusal = refuseNonMember(factsOf(state, new Date().toISOString()), {
    userId: query.user_id,
    isAdmin: false,
  });
  if (refusal) return { kind: 'resume_refused', query_id, reply_to, ...refusal };
  const page = await readModel.listMessages(room_id, { afterSeq: query.after_seq, limit: query.limit });
  const messages = await withReactions(readModel, room_id, page.messages, query.user_id);
  // Read after the page, so it is never below the page's newest message.
  const last_seq = await readModel.latestSeq(room_id);
  return { kind: 'resume_page', query_id, reply_to, room_id, messages, last_seq };
};

/**
 * Answers go out on the room's partition of the event topic, not on the outcomes topic. The read
 * model only holds events that were already on that partition, so a page lands behind every
 * event it contains: a gateway fanning out the partition has published each of its messages by
 * the time it reads the page, which lets it splice history and live stream without loss or
 * repeat.
 */
const publishAnswer = (bus: Bus, roomId: string, answer: ResumeAnswer): Promise<void> =>
  bus.publish(Topics.messageEvents, [
    { key: roomId, value: JSON.stringify(answer), headers: { [RECORD_KIND_HEADER]: answer.kind } },
  ]);

/** Whether the asking gateway has stopped waiting for the answer (it asked again under a new id). */
const hasExpired = (query: ResumeQuery, now: number): boolean =>
  query.expires_at !== undefined && Date.parse(query.expires_at) <= now;

/**
 * Answers the gateways' resume queries on `message.queries` from the read model. A query read
 * after its asker stopped waiting is dropped unanswered: answering it would only delay the queries
 * behind it, which a backlog (slow history reads, many clients reconnecting at once) would then
 * never catch up with.
 */
export const startResumeConsumer = async (deps: {
  bus: Bus;
  readModel: MessageReadModel;
  rooms: Pick<RoomRepository, 'load'>;
  logger: Logger;
  registry: Registry;
}): Promise<Consumer> => {
  const { bus, logger } = deps;
  const expired = counter(
    deps.registry,
    'chat_resume_queries_expired_total',
    'Resume queries dropped unanswered: read after their gateway had stopped waiting.',
  );
  const consumer = await bus.consume({
    groupId: 'message-resume',
    topics: [Topics.messageQueries],
    handleBatch: eachRecord(async (record) => {
      const parsed = parseRecord(record.value, validQuery);
      if (parsed.ok && hasExpired(parsed.value, Date.now())) {
        expired.inc();
        return;
      }
      if (parsed.ok) {
        await publishAnswer(bus, parsed.value.room_id, await answerResume(deps, parsed.value));
        return;
      }
      logger.warn(
        { partition: record.partition, offset: record.offset, reason: parsed.reason },
        'malformed query',
      );
      const query_id = parsed.readable(['query_id']);
      const reply_to = parsed.readable(['reply_to']);
      if (query_id === null || reply_to === null) return;
      const message = `Malformed resume query: ${parsed.reason}`;
      await publishAnswer(bus, parsed.readable(['room_id']) ?? reply_to, {
        kind: 'resume_refused',
        query_id,
        reply_to,
        code: 'invalid_frame',
        message,
      });
    }),
  });
  await consumer.ready;
  return consumer;
};

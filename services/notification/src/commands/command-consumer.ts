import { type Bus, type Consumer, eachRecord } from '@chat/bus';
import { compile, NotificationCommandRecord, Topics, type NotificationRefused } from '@chat/contracts';
import { refuseNonMember, type RoomAccessView } from '@chat/room-access';
import type { Logger } from '@chat/runtime';
import type { UserHandler } from '../users/user-handler';

const validRecord = compile(NotificationCommandRecord);

/**
 * Decides the commands on `notification.commands` (a client's `mark_read`, sent by the gateway),
 * keyed by user id. Nobody awaits an answer: a refusal (not a member, a seq beyond the room's
 * newest) goes back to the connection that sent the frame, through `notification.outcomes`, and
 * the offset moves on; a malformed record is logged; an infrastructure failure throws and the
 * command comes again, harmlessly (a read mark only moves forward).
 */
export const startCommandConsumer = async (deps: {
  bus: Bus;
  users: UserHandler;
  /** Who may access each room. */
  access: Pick<RoomAccessView, 'decide'>;
  /** The room's newest seq (0: none), caught up with `message.events` when below `wanted`. */
  lastSeq: (userId: string, roomId: string, wanted: number) => Promise<number>;
  logger: Logger;
}): Promise<Consumer> => {
  const { bus, users, access, lastSeq, logger } = deps;
  const consumer = await bus.consume({
    groupId: 'notification-commands',
    topics: [Topics.notificationCommands],
    handleBatch: eachRecord(async (record) => {
      let value: unknown;
      try {
        value = JSON.parse(record.value);
      } catch {
        value = undefined;
      }
      if (!validRecord.check(value)) {
        logger.warn({ partition: record.partition, offset: record.offset }, 'malformed notification command');
        return;
      }
      const { command, actor_id, command_id, correlation_id } = value;
      // Only a member marks a room read. The record does not say whether the actor is an
      // administrator, which only changes why an outsider is refused.
      const { refusal } = await access.decide(command.data.room_id, (room) =>
        refuseNonMember(room, { userId: actor_id, isAdmin: false }),
      );
      const handled = await users.execute(
        { userId: actor_id, correlationId: correlation_id },
        {
          type: 'MarkRead',
          data: command.data,
          context: {
            actor_id,
            decided_at: new Date().toISOString(),
            room_refusal: refusal,
            last_seq: refusal ? 0 : await lastSeq(actor_id, command.data.room_id, command.data.seq),
          },
        },
        { commandId: command_id },
      );
      if (handled.ok) return;
      logger.info({ command_id, actor_id, error: handled.error }, 'mark_read refused');
      if (!value.reply_to) return;
      const refused: NotificationRefused = {
        ...value.reply_to,
        user_id: actor_id,
        code: handled.error.code,
        message: handled.error.message,
        ref: 'mark_read',
      };
      await bus.publish(Topics.notificationOutcomes, [
        { key: refused.gateway, value: JSON.stringify(refused) },
      ]);
    }),
  });
  await consumer.ready;
  return consumer;
};

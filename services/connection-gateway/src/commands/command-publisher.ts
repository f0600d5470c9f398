import type { Bus } from '@chat/bus';
import { Topics, type CommandRecord, type MessageServiceCommand } from '@chat/contracts';
import type { Principal } from '@chat/runtime';

export interface CommandIds {
  commandId: string;
  correlationId: string;
}

/** Publishes a command to the message service, keyed by room id: one writer per room. */
export const publishCommand = async (
  bus: Bus,
  instanceId: string,
  principal: Principal,
  command: MessageServiceCommand,
  ids: CommandIds,
): Promise<void> => {
  const record: CommandRecord = {
    context: {
      command_id: ids.commandId,
      correlation_id: ids.correlationId,
      actor_id: principal.userId,
      actor_is_admin: principal.isAdmin,
      issued_at: new Date().toISOString(),
      reply_to: instanceId,
    },
    command,
  };
  await bus.publish(Topics.messageCommands, [
    {
      key: command.data.room_id,
      value: JSON.stringify(record),
      headers: { correlation_id: ids.correlationId },
    },
  ]);
};

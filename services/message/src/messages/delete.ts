import { reject, type Rejection, type Result } from '@chat/contracts';
import { accept, refuse } from '@chat/event-sourcing';
import type { RoomCommandOf, RoomEvent } from '../room-command';
import { refuseNonModerator, refuseUnseen } from '../rooms/access';
import type { RoomState } from '../rooms/room';
import { threadUpdated, withoutReply } from '../threads/thread';
import { findMessage } from './edit';

/**
 * Its sender deletes a message while a member of the room; the room owner, its moderators or an
 * administrator delete any. Deleting a deleted message decides nothing, so a repeated command — or two
 * moderators at once — has the effect of one. Deleting a reply takes it off its root's count.
 */
export const decideDeleteMessage = (
  { data, context }: RoomCommandOf<'DeleteMessage'>,
  state: RoomState,
): Result<RoomEvent[], Rejection> => {
  const unseen = refuseUnseen(state, context);
  if (unseen) return refuse(unseen);
  const message = findMessage(state, data.message_id);
  if (!message.ok) return message;
  const isAuthor = message.value.senderId === context.actor_id && state.members.has(context.actor_id);
  if (!isAuthor && refuseNonModerator(state, context)) {
    return refuse(
      reject(
        'forbidden',
        'Only its sender, a moderator of the room or an administrator may delete a message.',
      ),
    );
  }
  if (message.value.deleted) return accept();
  const deleted: RoomEvent = {
    type: 'MessageDeleted',
    data: {
      room_id: data.room_id,
      message_id: data.message_id,
      seq: message.value.seq,
      deleted_by: context.actor_id,
      deleted_at: context.decided_at,
    },
  };
  // The count drops even under a deleted root: its tombstone keeps the summary.
  const rootId = message.value.threadId;
  const root = rootId === undefined ? undefined : state.messages.get(rootId);
  if (!rootId || !root?.thread) return accept(deleted);
  const thread = withoutReply(root.thread);
  return accept(deleted, threadUpdated(data.room_id, { messageId: rootId, facts: root }, thread));
};

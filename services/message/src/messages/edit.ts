import { reject, type Rejection, type Result } from '@chat/contracts';
import { accept, refuse } from '@chat/event-sourcing';
import type { RoomCommandOf, RoomEvent } from '../room-command';
import { refuseBlockedIn } from '../moderation/content';
import { refuseNonSpeaker, roomNotFound } from '../rooms/access';
import type { MessageFacts, RoomState } from '../rooms/room';
import { acceptableContent } from './content';
import { editIdFor } from './message-id';
import type { AppliedEdit } from './recent-edits';

type EditMessage = RoomCommandOf<'EditMessage'>;

/**
 * The message, or why it cannot be changed: unknown ids, ids of other rooms and messages past the
 * room's retention (gone for good) alike.
 */
export const findMessage = (state: RoomState, messageId: string): Result<MessageFacts, Rejection> => {
  const facts = state.messages.get(messageId);
  return facts && facts.seq > state.expiredThroughSeq
    ? { ok: true, value: facts }
    : { ok: false, error: reject('message_not_found', 'Message not found.') };
};

/** The outcome of an earlier run of this very command, if the room still remembers it. */
export const originalEdit = ({ data, context }: EditMessage, state: RoomState): AppliedEdit | undefined =>
  state.recentEdits.find(editIdFor(data.room_id, context.actor_id, context.command_id));

/**
 * Only its sender edits a message, while a member of the room, and never once it is deleted. The
 * new content is cleaned and checked as a new message's is. The message keeps its seq: an edit
 * changes what a message says, not where it stands. A repeated command decides nothing; the
 * handler answers it with the original edit.
 */
export const decideEditMessage = (command: EditMessage, state: RoomState): Result<RoomEvent[], Rejection> => {
  const { data, context } = command;
  if (state.status !== 'active') return refuse(roomNotFound());
  if (originalEdit(command, state)) return accept();
  const outsider = refuseNonSpeaker(state, context);
  if (outsider) return refuse(outsider);
  const message = findMessage(state, data.message_id);
  if (!message.ok) return message;
  if (message.value.deleted) {
    return refuse(reject('message_deleted', 'The message was deleted; it can no longer be edited.'));
  }
  if (message.value.senderId !== context.actor_id) {
    return refuse(reject('forbidden', 'Only its sender may edit a message.'));
  }
  const content = acceptableContent(data.content, context.max_message_length);
  if (!content.ok) return content;
  const blocked = refuseBlockedIn(state, context, content.value, 'The message');
  if (blocked) return refuse(blocked);
  return accept({
    type: 'MessageEdited',
    data: {
      room_id: data.room_id,
      message_id: data.message_id,
      seq: message.value.seq,
      content: content.value,
      edit_id: editIdFor(data.room_id, context.actor_id, context.command_id),
      edited_at: context.decided_at,
    },
  });
};

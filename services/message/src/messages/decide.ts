import type { Rejection, Result } from '@chat/contracts';
import { accept, refuse } from '@chat/event-sourcing';
import { refuseMuted, refuseNonMember, refuseUnseen, roomNotFound } from '../rooms/access';
import { refuseBlockedIn } from '../moderation/content';
import { memberJoined } from '../rooms/decide';
import type { RoomState } from '../rooms/room';
import type { RoomCommandOf, RoomEvent } from '../room-command';
import { threadRootOf, threadUpdated, withReply, type ThreadRoot } from '../threads/thread';
import { acceptableContent } from './content';
import { attachmentOf } from './file-message';
import { mentionsIn } from './mentions';
import { messageIdFor } from './message-id';
import type { SentMessage } from './recent-sends';

type SendMessage = RoomCommandOf<'SendMessage'>;

/** The outcome of an earlier run of this very command, if the room still remembers it. */
export const originalSend = ({ data, context }: SendMessage, state: RoomState): SentMessage | undefined =>
  state.recentSends.find(messageIdFor(data.room_id, context.actor_id, context.command_id));

/**
 * What every new message of a room starts with, plain or MLS: its id (derived from the command,
 * so a repeat finds it), the next seq, its sender, and its time — the decision's, never before the
 * room's last message (seq order is time order).
 */
export const newMessageHeader = ({ data, context }: SendMessage, state: RoomState) => ({
  room_id: data.room_id,
  message_id: messageIdFor(data.room_id, context.actor_id, context.command_id),
  seq: state.lastSeq + 1,
  sender_id: context.actor_id,
  client_msg_id: data.client_msg_id,
  created_at: context.decided_at > state.lastMessageAt ? context.decided_at : state.lastMessageAt,
});

/**
 * A message gets the next seq — gap-free by construction, and the append's optimistic
 * concurrency keeps it so under concurrent writers. A repeated command decides nothing new: the
 * handler answers it with the original outcome.
 *
 * A public room is open to everyone, so a non-member's first message there joins them to it:
 * the specification's Quick Start sends to `general` straight after authenticating. A private
 * room takes messages from its members only. Nobody banned from a room or muted in it posts there.
 * The members it mentions are decided here, from the
 * room's members at this seq.
 *
 * A reply (`thread_id`) is a room message like any other, with its own seq; it names its thread's
 * root, and the root's new thread summary follows it in the same append.
 */
export const decideSendMessage = (command: SendMessage, state: RoomState): Result<RoomEvent[], Rejection> => {
  const { data, context } = command;
  if (state.status !== 'active') return refuse(roomNotFound());
  if (originalSend(command, state)) return accept();
  const outsider =
    (state.private ? refuseNonMember(state, context) : refuseUnseen(state, context)) ??
    refuseMuted(state, context);
  if (outsider) return refuse(outsider);
  const file = attachmentOf(command);
  if (!file.ok) return file;
  // A file message reads as its file's name wherever only the text is shown.
  const content = acceptableContent(file.value?.file_name ?? data.content, context.max_message_length);
  if (!content.ok) return content;
  const blocked = refuseBlockedIn(
    state,
    context,
    content.value,
    file.value ? 'The file name' : 'The message',
  );
  if (blocked) return refuse(blocked);
  let root: ThreadRoot | undefined;
  if (data.thread_id !== undefined) {
    const found = threadRootOf(state, data.thread_id);
    if (!found.ok) return found;
    root = found.value;
  }
  const joining = state.members.has(context.actor_id)
    ? []
    : [memberJoined(data.room_id, context.actor_id, 'member', context)];
  const mentions = mentionsIn(content.value, (userId) => state.members.has(userId));
  const header = newMessageHeader(command, state);
  const sent: RoomEvent = {
    type: 'MessageSent',
    data: {
      ...header,
      content: content.value,
      message_type: data.message_type,
      ...(file.value ? { file: file.value } : {}),
      ...(root ? { thread_id: root.messageId } : {}),
      ...(mentions.length > 0 ? { mentions } : {}),
    },
  };
  if (!root) return accept(...joining, sent);
  const thread = withReply(root.facts.thread, context.actor_id, header.created_at);
  return accept(...joining, sent, threadUpdated(data.room_id, root, thread));
};

import { reject, type ReactionResult, type Rejection, type Result } from '@chat/contracts';
import { accept, refuse } from '@chat/event-sourcing';
import { findMessage } from '../messages/edit';
import type { RoomCommandOf, RoomEvent } from '../room-command';
import { refuseNonSpeaker, roomNotFound } from '../rooms/access';
import type { RoomState } from '../rooms/room';
import { validEmoji } from './emoji';
import { reactionCount, reactionsBy, reactionsOn } from './reactions';

/** How many distinct emoji one user may put on one message. */
export const MAX_REACTIONS_PER_USER = 20;

/**
 * A member adds or removes their reaction to a message of the room that is not deleted. A user
 * counts once per emoji: adding it again, or removing one not given, decides nothing (and is
 * answered as a success). Each event carries the emoji's new count for the fan-out.
 */
export const decideReactToMessage = (
  { data, context }: RoomCommandOf<'ReactToMessage'>,
  state: RoomState,
): Result<RoomEvent[], Rejection> => {
  if (state.status !== 'active') return refuse(roomNotFound());
  const outsider = refuseNonSpeaker(state, context);
  if (outsider) return refuse(outsider);
  const message = findMessage(state, data.message_id);
  if (!message.ok) return message;
  if (message.value.deleted) return refuse(reject('message_not_found', 'Message not found.'));
  const emoji = validEmoji(data.emoji);
  if (!emoji.ok) return emoji;
  const reactions = reactionsOn(state, data.message_id);
  const users = reactions.get(data.emoji);
  const given = users?.has(context.actor_id) ?? false;
  const { room_id, message_id } = data;
  const about = { room_id, message_id, seq: message.value.seq, user_id: context.actor_id, emoji: data.emoji };
  if (data.action === 'remove') {
    if (!given) return accept();
    return accept({
      type: 'ReactionRemoved',
      data: { ...about, count: users!.size - 1, removed_at: context.decided_at },
    });
  }
  if (given) return accept();
  if (reactionsBy(reactions, context.actor_id) >= MAX_REACTIONS_PER_USER) {
    return refuse(
      reject('too_many_reactions', `At most ${MAX_REACTIONS_PER_USER} reactions per user on one message.`),
    );
  }
  return accept({
    type: 'ReactionAdded',
    data: { ...about, count: (users?.size ?? 0) + 1, reacted_at: context.decided_at },
  });
};

/** The answer to a reaction: the emoji's count after it, whether or not it changed anything. */
export const reactionResultOf = (
  { data, context }: RoomCommandOf<'ReactToMessage'>,
  state: RoomState,
  events: RoomEvent[],
): ReactionResult => ({
  kind: 'reaction',
  room_id: data.room_id,
  message_id: data.message_id,
  user_id: context.actor_id,
  emoji: data.emoji,
  action: data.action,
  count: reactionCount(state, data.message_id, data.emoji),
  changed: events.length > 0,
});

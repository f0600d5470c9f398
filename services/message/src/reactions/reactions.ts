import type { RoomEvent } from '../room-command';
import type { RoomState } from '../rooms/room';

/** The users who gave each emoji to one message, emoji in the order they were first given. */
export type MessageReactions = ReadonlyMap<string, ReadonlySet<string>>;

const NONE: MessageReactions = new Map();

export const reactionsOn = (state: RoomState, messageId: string): MessageReactions =>
  state.reactions.get(messageId) ?? NONE;

/** How many users have the emoji on the message. */
export const reactionCount = (state: RoomState, messageId: string, emoji: string): number =>
  reactionsOn(state, messageId).get(emoji)?.size ?? 0;

/** How many distinct emoji the user has on the message. */
export const reactionsBy = (reactions: MessageReactions, userId: string): number => {
  let count = 0;
  for (const users of reactions.values()) if (users.has(userId)) count++;
  return count;
};

const withUsers = (reactions: MessageReactions, emoji: string, users: Set<string>): MessageReactions => {
  const next = new Map(reactions);
  if (users.size === 0) next.delete(emoji);
  else next.set(emoji, users);
  return next;
};

/** The room after a reaction event; other events leave reactions as they are. */
export const evolveReactions = (state: RoomState, event: RoomEvent): RoomState => {
  switch (event.type) {
    case 'ReactionAdded': {
      const { message_id, emoji, user_id } = event.data;
      const reactions = reactionsOn(state, message_id);
      const users = new Set(reactions.get(emoji)).add(user_id);
      return { ...state, reactions: state.reactions.set(message_id, withUsers(reactions, emoji, users)) };
    }
    case 'ReactionRemoved': {
      const { message_id, emoji, user_id } = event.data;
      const reactions = reactionsOn(state, message_id);
      const users = new Set(reactions.get(emoji));
      users.delete(user_id);
      const next = withUsers(reactions, emoji, users);
      return {
        ...state,
        reactions:
          next.size === 0 ? state.reactions.delete(message_id) : state.reactions.set(message_id, next),
      };
    }
    case 'MessageDeleted':
      // A deleted message takes its reactions with it; nobody can react to it any more.
      return { ...state, reactions: state.reactions.delete(event.data.message_id) };
    default:
      return state;
  }
};

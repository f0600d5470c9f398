import { Type, type Static } from '@sinclair/typebox';

/**
 * One emoji grapheme (flags, ZWJ sequences and skin tones included) or a `:short_code:`. The
 * schema only bounds the size; which strings are emoji is decided by the message service
 * (`invalid_emoji`), so a client learns why rather than getting `invalid_frame`.
 */
export const ReactionEmoji = Type.String({
  minLength: 1,
  maxLength: 128,
  description: 'One emoji (e.g. 👍, 👨‍👩‍👧, 🇫🇷, 👋🏽) or a `:short_code:` of at most 64 letters, digits, _ + -.',
});
export const ReactionAction = Type.Union([Type.Literal('add'), Type.Literal('remove')]);
export type ReactionAction = Static<typeof ReactionAction>;

/** A reaction on a message as history shows it to one viewer. */
export const MessageReaction = Type.Object({
  emoji: Type.String(),
  count: Type.Integer({ minimum: 1, description: 'How many users reacted with it.' }),
  me: Type.Boolean({ description: 'Whether the viewer is one of them.' }),
});
export type MessageReaction = Static<typeof MessageReaction>;

import type { PushPayload, RoomAccess } from '@chat/contracts';

/** The longest content a push shows; the rest stays in the app. */
export const PREVIEW_LENGTH = 140;

/** Messages older than this when seen are history (a rebuilt consumer), not news: no push. */
export const MAX_PUSH_AGE_MS = 10 * 60_000;

/**
 * The members of the room when its message `seq` was sent, as far as the room's newest access
 * state tells: those who joined before it (their messages start after their join point), of a room
 * not deleted since. Who left since is not notified.
 */
export const membersWhenSent = (room: RoomAccess | null, seq: number): string[] =>
  !room || room.deleted
    ? []
    : room.members.filter((member) => member.joined_after_seq < seq).map((member) => member.user_id);

/**
 * Who is notified of a message: the room's members but the sender, who are offline and have not
 * muted the room — or whom the message mentions: a mention reaches an offline member through a
 * mute, which silences the room's chatter, not what is addressed to them.
 */
export const recipientsOf = (input: {
  members: readonly string[];
  senderId: string;
  online: ReadonlySet<string>;
  muted: ReadonlySet<string>;
  mentioned: ReadonlySet<string>;
}): string[] =>
  input.members.filter(
    (user) =>
      user !== input.senderId &&
      !input.online.has(user) &&
      (!input.muted.has(user) || input.mentioned.has(user)),
  );

export const isNews = (createdAt: string, now: Date): boolean =>
  now.getTime() - Date.parse(createdAt) <= MAX_PUSH_AGE_MS;

/** What a push of an end-to-end encrypted room shows: the server cannot read more. */
export const ENCRYPTED_PREVIEW = 'New encrypted message';

/** A content preview that never cuts a character (code point) in half. */
export const previewOf = (content: string, messageType: string, fileName?: string): string => {
  if (messageType === 'file') return `📎 ${fileName ?? 'a file'}`;
  if (messageType === 'mls') return ENCRYPTED_PREVIEW;
  const points = [...content];
  return points.length <= PREVIEW_LENGTH ? content : `${points.slice(0, PREVIEW_LENGTH - 1).join('')}…`;
};

export const payloadOf = (message: {
  room_id: string;
  message_id: string;
  seq: number;
  sender_id: string;
  content: string;
  message_type: string;
  created_at: string;
  file?: { file_name: string };
}): PushPayload => ({
  type: 'message',
  room_id: message.room_id,
  message_id: message.message_id,
  seq: message.seq,
  sender_id: message.sender_id,
  preview: previewOf(message.content, message.message_type, message.file?.file_name),
  created_at: message.created_at,
});

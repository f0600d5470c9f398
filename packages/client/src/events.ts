import type { ChatMessage, ServerFrame, ServerFrameOf } from './wire';
import type { ChatError } from './chat-error';

/** `idle` until `connect()`; `reconnecting` covers both the backoff wait and the attempt itself. */
export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

/** Room-level frames, passed to the app as the server sent them. */
export type RoomEvent = Extract<
  ServerFrame,
  { type: 'member_joined' | 'member_left' | 'room_updated' | 'room_deleted' | 'room_left' }
>;

/** A thread's root and its new summary, after a reply to it was sent or deleted. */
export type ThreadUpdate = Omit<ServerFrameOf<'thread_updated'>, 'type'>;

/** A frame as the server sent it, without its `type`: what the event's name already says. */
export type Payload<K extends ServerFrame['type']> = Omit<Extract<ServerFrame, { type: K }>, 'type'>;

export interface ChatEvents {
  /** Each message exactly once per (room_id, seq), in seq order within its room. */
  message: ChatMessage;
  state: ConnectionState;
  /** Refusals not tied to a pending send, join or leave (including of the token), and token provider failures. */
  error: ChatError;
  room: RoomEvent;
  /** A room was opened with the user in it (a direct room, by either member): join it to hear its messages. */
  room_added: Omit<ServerFrameOf<'room_added'>, 'type'>;
  /** A member of a joined room added or removed a reaction; `count` is the emoji's new count. */
  reaction: Omit<ServerFrameOf<'reaction'>, 'type'>;
  thread_updated: ThreadUpdate;
  /** A member of a joined room has read it up to `seq` (the user's own other devices included). */
  receipt: Payload<'receipt'>;
  /** The user's unread counts: every room shortly after connecting, a room again after a `markRead`. */
  unread: Payload<'unread'>;
  /** A member of one of the joined rooms changed status. */
  presence: Payload<'presence'>;
  /** A member started or stopped typing in a joined room. */
  typing: Payload<'typing'>;
  /** A message of a joined room was edited: it now reads `content`. */
  message_edited: Payload<'message_edited'>;
  /** A message of a joined room was deleted; its seq stays in history as a tombstone. */
  message_deleted: Payload<'message_deleted'>;
  /**
   * A joined room's messages up to `through_seq` are past its retention: drop what you hold of
   * them; history and resume answer their seqs as tombstones (`expired: true`).
   */
  history_expired: Payload<'history_expired'>;
  /** A commit added the user to an end-to-end encrypted room's group (`@chat/client/mls` joins it). */
  mls_welcome: Payload<'mls_welcome'>;
}

import type {
  ChatMessage,
  MemberRole,
  MessageReaction,
  Receipt,
  Room,
  RoomKind,
  ThreadSummary,
  VerifiedFile,
} from '@chat/contracts';

/**
 * The message service's read model: rooms, memberships and history as the REST API and the
 * resume queries read them. Projections write it through `apply`; adapters (SQLite embedded,
 * MongoDB in the fleet) pass the one conformance suite in `conformance.ts`.
 */
export interface MessageReadModel {
  /**
   * Applies what a batch of events changes, with their stream revisions, in order. An event at or
   * below its stream's applied revision (earlier ones of the batch included) was applied before:
   * it is skipped, which makes redelivery harmless. Returns, per update, whether it was applied.
   * One transaction (SQLite) or a few bulk writes (MongoDB) for the whole batch.
   */
  applyBatch(updates: ReadModelUpdate[]): Promise<boolean[]>;
  /** The stream's newest applied revision, or null before its first event. */
  appliedRevision(stream: string): Promise<number | null>;

  /** Every public room and every private room the user belongs to, oldest first; deleted rooms never. */
  listRoomsVisibleTo(userId: string): Promise<Room[]>;
  /** The room with the viewer's role (null: not a member), or null if it does not exist or was deleted. */
  findRoom(roomId: string, viewerId: string): Promise<Room | null>;
  /** By user id. */
  listMembers(roomId: string): Promise<Member[]>;
  /** How many rooms the user created since the time (deleted ones count too), for the daily limit. */
  countRoomsCreatedBy(ownerId: string, since: Date): Promise<number>;
  listMessages(roomId: string, range: HistoryRange): Promise<HistorySlice>;
  /** The replies of the thread rooted at `threadId`, paged by seq as history is. */
  listReplies(roomId: string, threadId: string, range: ReplyRange): Promise<HistorySlice>;
  /** The seq of the room's newest message (0: none). */
  latestSeq(roomId: string): Promise<number>;
  /** The seq of the room's newest message created before the time (0: none). */
  lastSeqBefore(roomId: string, before: Date): Promise<number>;
  /**
   * What the retention sweeper works from: up to `limit` rooms (deleted ones too: their history
   * still holds content) with ids after `after` (null: from the first), in room id order.
   */
  listRoomRetention(after: string | null, limit: number): Promise<RoomRetention[]>;
  /** A verified upload of the media service, which file messages may share; null if unknown. */
  findVerifiedFile(fileId: string): Promise<VerifiedFile | null>;
  /**
   * The reactions on the room's messages in the seq range, by seq (messages without any are left
   * out), each emoji with its count and whether the viewer gave it, in the order first given.
   */
  listReactions(roomId: string, range: SeqRange, viewerId: string): Promise<Map<number, MessageReaction[]>>;
  /**
   * The messages mentioning the user, newest first (by creation time, then room and seq), in the
   * rooms the user is a member of now (not deleted), strictly after `after` in that order; deleted
   * messages never.
   */
  listMentions(userId: string, limit: number, after?: MentionPosition): Promise<ChatMessage[]>;
  /** How far each user who shows receipts has read the room, by user id; members or not (the caller filters). */
  listReceipts(roomId: string): Promise<Receipt[]>;
  /** The MLS Welcomes kept for the user, not yet acknowledged, by room and seq. */
  listWelcomes(userId: string): Promise<PendingWelcome[]>;

  /** Whether the user's data was erased (`user_erased`). */
  isErased(userId: string): Promise<boolean>;
  /**
   * What the read model holds about one user, for their export, each read as it is consumed
   * (never whole in memory): their memberships by room; the messages they wrote by room and seq
   * (without reactions); their reactions and receipts by room and seq; the files they uploaded.
   */
  personalData(userId: string): PersonalData;
  /** Remembers when users were last seen (`presence.changes`): only ever later, never for an erased user. */
  recordLastSeen(seen: LastSeen[]): Promise<void>;

  close(): Promise<void>;
}

export interface PersonalData {
  memberships: AsyncIterable<Membership>;
  messages: AsyncIterable<ChatMessage>;
  reactions: AsyncIterable<Omit<ReactionKey, 'user_id'> & { reacted_at: string }>;
  receipts: AsyncIterable<{ room_id: string; seq: number; read_at: string }>;
  files: AsyncIterable<StoredFile>;
  /** What they set up in the notification service, as its events told: by id, url and room. */
  pushSubscriptions: AsyncIterable<{ subscription_id: string; endpoint: string; subscribed_at: string }>;
  webhooks: AsyncIterable<{ url: string; registered_at: string }>;
  mutes: AsyncIterable<{ room_id: string; muted_at: string }>;
  /** When presence last saw them (null: never). */
  lastSeen(): Promise<string | null>;
}

export interface LastSeen {
  user_id: string;
  last_seen: string;
}

/** A user's membership of a room, with the room's name. */
export interface Membership {
  room_id: string;
  room_name: string;
  role: MemberRole;
  joined_at: string;
}

/** A verified upload with who uploaded it and when (null on those recorded before that was kept). */
export interface StoredFile extends VerifiedFile {
  uploader_id: string | null;
  verified_at: string | null;
}

/**
 * What an erased user's message becomes: a tombstone keeping its place (seq, id, sender, time,
 * thread) and nothing of what was said — content, attachment and mentions go.
 */
export const erasedForm = ({
  file: _file,
  mentions: _mentions,
  mls: _mls,
  ...message
}: ChatMessage): ChatMessage => ({
  ...message,
  content: '',
  erased: true,
});

/** A room's retention as the read model has applied it. */
export interface RoomRetention {
  room_id: string;
  /** null: the deployment's `messages.retention_days`. */
  retention_days: number | null;
  /** Every message up to this seq is expired already (0: none). */
  expired_through_seq: number;
}

/** Where a page of mentions ended: the last message's creation time, room and seq. */
export interface MentionPosition {
  created_at: string;
  room_id: string;
  seq: number;
}

export interface StreamRevision {
  stream: string;
  revision: number;
}

/** What one event changes, at its stream revision. */
export interface ReadModelUpdate {
  at: StreamRevision;
  changes: ReadModelChange[];
}

export interface Member {
  user_id: string;
  role: MemberRole;
  joined_at: string;
}

/**
 * Which messages to read. With `afterSeq`: the oldest `limit` after it, up to the bounds. Without:
 * the newest `limit` below the bounds (`beforeSeq`, and messages created before `before`).
 * Either way the slice is returned in ascending seq order.
 */
export interface HistoryRange {
  limit: number;
  before?: Date;
  beforeSeq?: number;
  afterSeq?: number;
}

/** A thread is paged by seq only. */
export type ReplyRange = Omit<HistoryRange, 'before'>;

export interface HistorySlice {
  messages: ChatMessage[];
  /** More messages exist in the range beyond this slice (older ones, or newer ones with `afterSeq`). */
  has_more: boolean;
}

/**
 * The read model's write vocabulary. Projections translate events into these, so every adapter
 * stores the same facts and the meaning of an event is decided once, in the projection.
 */
export type ReadModelChange =
  | {
      kind: 'room_created';
      room_id: string;
      name: string;
      private: boolean;
      owner_id: string;
      created_at: string;
      /** The room's `kind` (this union's `kind` names the change). */
      room_kind: RoomKind;
      /** A direct room's members, fixed for good; absent on group rooms. */
      members?: string[];
      /** Only on an end-to-end encrypted room. */
      encryption?: 'mls';
    }
  | { kind: 'room_updated'; room_id: string; name: string; private: boolean }
  | { kind: 'room_deleted'; room_id: string }
  /** null: back to the deployment's retention. */
  | { kind: 'room_retention_changed'; room_id: string; retention_days: number | null }
  /**
   * Every message up to `through_seq` becomes a tombstone marked `expired` (content, file and
   * mentions erased, seq kept); their reactions go. (The room refuses edits and reactions of
   * expired messages, and its stream orders the ones decided before: none comes after.)
   */
  | { kind: 'history_expired'; room_id: string; through_seq: number }
  | ({ kind: 'member_added'; room_id: string } & Member)
  | { kind: 'member_removed'; room_id: string; user_id: string }
  /** A member's new role; nothing for a user who is not a member. */
  | { kind: 'member_role_changed'; room_id: string; user_id: string; role: MemberRole }
  | { kind: 'message_added'; message: ChatMessage }
  | { kind: 'file_verified'; file: StoredFile }
  | { kind: 'message_edited'; room_id: string; seq: number; content: string; edited_at: string }
  /**
   * The message stays, as a tombstone: its content is erased, its seq kept so history has no gap.
   * Its reactions go.
   */
  | { kind: 'message_deleted'; room_id: string; seq: number; deleted_at: string }
  /** The root's thread summary, replaced whole. */
  | { kind: 'thread_updated'; room_id: string; seq: number; thread: ThreadSummary }
  | ({ kind: 'reaction_added'; reacted_at: string } & ReactionKey)
  | ({ kind: 'reaction_removed' } & ReactionKey)
  /** A user's receipt in a room moves to `seq`, never back. */
  | ({ kind: 'receipt_marked'; room_id: string } & Receipt)
  /** The user turned read receipts off: none of theirs is shown any more. */
  | { kind: 'receipts_hidden'; user_id: string }
  /** What a user set up in the notification service, kept for their export (no keys or secrets). */
  | {
      kind: 'push_subscribed';
      user_id: string;
      subscription_id: string;
      endpoint: string;
      subscribed_at: string;
    }
  | { kind: 'push_unsubscribed'; user_id: string; subscription_id: string }
  | { kind: 'webhook_registered'; user_id: string; url: string; registered_at: string }
  | { kind: 'webhook_removed'; user_id: string }
  | { kind: 'room_muted'; user_id: string; room_id: string; muted_at: string }
  | { kind: 'room_unmuted'; user_id: string; room_id: string }
  /**
   * The user's data was erased: every message they wrote becomes a tombstone (`erasedForm`), seqs
   * kept; their reactions, receipts and uploads go; and whatever of theirs comes later (an event
   * still in flight, a rebuild) is taken in erased. Mentions of them in others' messages stay.
   */
  | { kind: 'user_erased'; user_id: string; erased_at: string }
  /** A commit's Welcome, kept for each of its recipients. */
  | { kind: 'welcome_kept'; room_id: string; seq: number; recipients: string[]; welcome: string }
  | { kind: 'welcome_acknowledged'; room_id: string; seq: number; user_id: string };

/** A Welcome (an MLSMessage, base64) the commit at `seq` of the room issued, kept for one recipient. */
export interface PendingWelcome {
  room_id: string;
  seq: number;
  welcome: string;
}

/** The seqs from `fromSeq` to `toSeq`, both included. */
export interface SeqRange {
  fromSeq: number;
  toSeq: number;
}

/** One user's reaction with one emoji to one message. */
export interface ReactionKey {
  room_id: string;
  seq: number;
  user_id: string;
  emoji: string;
}

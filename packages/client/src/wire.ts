// Generated from @chat/contracts by `pnpm docs:asyncapi`; do not edit.
// The published package carries the wire shapes it speaks, not the contracts package.

/** Stable codes of the server's refusals: clients may branch on them. */
export type ErrorCode =
  | 'unauthenticated'
  | 'invalid_token'
  | 'token_expired'
  | 'already_authenticated'
  | 'invalid_frame'
  | 'invalid_request'
  | 'unknown_type'
  | 'frame_too_large'
  | 'content_too_long'
  | 'content_empty'
  | 'rate_limited'
  | 'overloaded'
  | 'too_many_connections'
  | 'not_member'
  | 'room_not_found'
  | 'room_exists'
  | 'message_not_found'
  | 'message_deleted'
  | 'forbidden'
  | 'feature_disabled'
  | 'file_too_large'
  | 'file_type_not_allowed'
  | 'file_type_mismatch'
  | 'file_size_mismatch'
  | 'file_not_found'
  | 'file_not_verified'
  | 'upload_incomplete'
  | 'upload_expired'
  | 'subscription_not_found'
  | 'seq_out_of_range'
  | 'conflict'
  | 'timeout'
  | 'unavailable'
  | 'internal'
  | 'invalid_emoji'
  | 'too_many_reactions'
  | 'banned'
  | 'muted'
  | 'content_blocked'
  | 'report_not_found'
  | 'suspended'
  | 'account_erased'
  | 'encryption_required'
  | 'stale_epoch'
  | 'malformed_mls'
  | 'credential_mismatch'
  | 'key_package_not_found'
  | 'welcome_not_found';

/** WebSocket close codes the gateway uses. */
export const CloseCode = {
  normal: 1000,
  goingAway: 1001,
  abnormal: 1006,
  authenticationTimeout: 4001,
  tokenExpired: 4002,
  tooManyConnections: 4003,
  heartbeatTimeout: 4004,
  slowConsumer: 4005,
  tooManyRefusedFrames: 4006,
  suspended: 4007,
  accountErased: 4008,
} as const;

/** The longest `content` a `send_message` may carry. */
export const MAX_CONTENT_LENGTH = 65536;

/** A message of a room, as delivered live, on resume and in history. */
export type ChatMessage = {
  /** Room identifier, e.g. `general` or `room-123`. */
  room_id: string;
  /** Server-assigned message id. */
  message_id: string;
  /** Per-room message sequence number: assigned once, strictly increasing, gap-free. */
  seq: number;
  /** The JWT `sub` of a user. */
  sender_id: string;
  content: string;
  message_type: 'text' | 'file' | 'system' | 'mls';
  /** ISO 8601 time, UTC. */
  created_at: string;
  client_msg_id: string | null;
  file?: {
    /** Media-service-assigned file id. */
    file_id: string;
    /** As the uploader named it. */
    file_name: string;
    /** In bytes. */
    file_size: number;
    /** The verified type of its content. */
    content_type: string;
    /** GET it (members only) for a download link. */
    file_url: string;
  };
  /** ISO 8601 time, UTC. */
  edited_at?: string;
  /** ISO 8601 time, UTC. */
  deleted_at?: string;
  erased?: boolean;
  expired?: boolean;
  reactions?: {
    emoji: string;
    /** How many users reacted with it. */
    count: number;
    /** Whether the viewer is one of them. */
    me: boolean;
  }[];
  /** Server-assigned message id. */
  thread_id?: string;
  thread?: {
    /** Replies not deleted. */
    reply_count: number;
    /** ISO 8601 time, UTC. */
    last_reply_at: string;
    /** Who replied, first repliers first; the first 10 distinct senders. */
    participants: string[];
  };
  mentions?: string[];
  /** An MLSMessage (RFC 9420 §6), base64. */
  mls?: string;
};

/** A refused REST request: its code, why, and when to retry. */
export type ErrorBody = {
  code:
    | 'unauthenticated'
    | 'invalid_token'
    | 'token_expired'
    | 'already_authenticated'
    | 'invalid_frame'
    | 'invalid_request'
    | 'unknown_type'
    | 'frame_too_large'
    | 'content_too_long'
    | 'content_empty'
    | 'rate_limited'
    | 'overloaded'
    | 'too_many_connections'
    | 'not_member'
    | 'room_not_found'
    | 'room_exists'
    | 'message_not_found'
    | 'message_deleted'
    | 'forbidden'
    | 'feature_disabled'
    | 'file_too_large'
    | 'file_type_not_allowed'
    | 'file_type_mismatch'
    | 'file_size_mismatch'
    | 'file_not_found'
    | 'file_not_verified'
    | 'upload_incomplete'
    | 'upload_expired'
    | 'subscription_not_found'
    | 'seq_out_of_range'
    | 'conflict'
    | 'timeout'
    | 'unavailable'
    | 'internal'
    | 'invalid_emoji'
    | 'too_many_reactions'
    | 'banned'
    | 'muted'
    | 'content_blocked'
    | 'report_not_found'
    | 'suspended'
    | 'account_erased'
    | 'encryption_required'
    | 'stale_epoch'
    | 'malformed_mls'
    | 'credential_mismatch'
    | 'key_package_not_found'
    | 'welcome_not_found';
  message: string;
  /** On `rate_limited`: how long to wait before trying again (also `Retry-After`, in seconds). */
  retry_after_ms?: number;
};

/** The direct room of two users (`POST /api/dms`). */
export type DirectRoom = {
  /** Room identifier, e.g. `general` or `room-123`. */
  room_id: string;
  kind: 'direct';
  /** Sorted; one for notes to self. */
  members: string[];
  /** ISO 8601 time, UTC. */
  created_at: string;
  encryption: 'none' | 'mls';
};

/** Where to upload a file (`POST /api/media/uploads`). */
export type UploadTicket = {
  /** Media-service-assigned file id. */
  file_id: string;
  /** PUT the bytes here (exactly `size` of them) before `expires_at`. May be relative to the platform origin. */
  upload_url: string;
  /** The file once verified: what `share_file` takes. */
  file_url: string;
  /** ISO 8601 time, UTC. */
  expires_at: string;
};

/** A file whose upload was checked (`POST /api/media/{file_id}/complete`). */
export type VerifiedFile = {
  /** Media-service-assigned file id. */
  file_id: string;
  /** Room identifier, e.g. `general` or `room-123`. */
  room_id: string;
  /** As the uploader named it. */
  file_name: string;
  content_type: string;
  /** In bytes. */
  size: number;
  file_url: string;
};

/** Everything held about the user (`GET /api/me/export`). */
export type AccountExport = {
  /** The JWT `sub` of a user. */
  user_id: string;
  /** ISO 8601 time, UTC. */
  exported_at: string;
  profile: {
    /** The JWT `sub` of a user. */
    user_id: string;
    /** The roles of the token that asked, if it is theirs. */
    roles: string[];
    /** The account was erased: what remains is tombstones. */
    erased: boolean;
  };
  memberships: Array<{
    /** Room identifier, e.g. `general` or `room-123`. */
    room_id: string;
    room_name: string;
    role: 'owner' | 'moderator' | 'member';
    /** ISO 8601 time, UTC. */
    joined_at: string;
  }>;
  /** The messages they wrote, with their content as history shows it, by room then seq. */
  messages: Array<{
    /** Room identifier, e.g. `general` or `room-123`. */
    room_id: string;
    /** Server-assigned message id. */
    message_id: string;
    /** Per-room message sequence number: assigned once, strictly increasing, gap-free. */
    seq: number;
    /** The JWT `sub` of a user. */
    sender_id: string;
    content: string;
    message_type: 'text' | 'file' | 'system' | 'mls';
    /** ISO 8601 time, UTC. */
    created_at: string;
    client_msg_id: string | null;
    file?: {
      /** Media-service-assigned file id. */
      file_id: string;
      /** As the uploader named it. */
      file_name: string;
      /** In bytes. */
      file_size: number;
      /** The verified type of its content. */
      content_type: string;
      /** GET it (members only) for a download link. */
      file_url: string;
    };
    /** ISO 8601 time, UTC. */
    edited_at?: string;
    /** ISO 8601 time, UTC. */
    deleted_at?: string;
    erased?: boolean;
    expired?: boolean;
    reactions?: {
      emoji: string;
      /** How many users reacted with it. */
      count: number;
      /** Whether the viewer is one of them. */
      me: boolean;
    }[];
    /** Server-assigned message id. */
    thread_id?: string;
    thread?: {
      /** Replies not deleted. */
      reply_count: number;
      /** ISO 8601 time, UTC. */
      last_reply_at: string;
      /** Who replied, first repliers first; the first 10 distinct senders. */
      participants: string[];
    };
    mentions?: string[];
    /** An MLSMessage (RFC 9420 §6), base64. */
    mls?: string;
  }>;
  reactions: {
    /** Room identifier, e.g. `general` or `room-123`. */
    room_id: string;
    /** Per-room message sequence number: assigned once, strictly increasing, gap-free. */
    seq: number;
    emoji: string;
    /** ISO 8601 time, UTC. */
    reacted_at: string;
  }[];
  receipts: {
    /** Room identifier, e.g. `general` or `room-123`. */
    room_id: string;
    /** Per-room message sequence number: assigned once, strictly increasing, gap-free. */
    seq: number;
    /** ISO 8601 time, UTC. */
    read_at: string;
  }[];
  files: {
    /** Media-service-assigned file id. */
    file_id: string;
    /** Room identifier, e.g. `general` or `room-123`. */
    room_id: string;
    /** As the uploader named it. */
    file_name: string;
    /** In bytes. */
    file_size: number;
    content_type: string;
    /** ISO 8601 time, UTC. */
    uploaded_at: string;
    /** GET it for a short-lived download link. */
    file_url: string;
  }[];
  push_subscriptions: {
    subscription_id: string;
    endpoint: string;
    /** ISO 8601 time, UTC. */
    subscribed_at: string;
  }[];
  webhooks: {
    url: string;
    /** ISO 8601 time, UTC. */
    registered_at: string;
  }[];
  mutes: {
    /** Room identifier, e.g. `general` or `room-123`. */
    room_id: string;
    /** ISO 8601 time, UTC. */
    muted_at: string;
  }[];
  presence: {
    last_seen: string | null;
  };
  /** Audit entries they made or that concern them. */
  audit: Array<{
    /** A name-based UUID of the source (event id or signal). */
    audit_id: string;
    /** ISO 8601 time, UTC. */
    at: string;
    /** The user who acted (`system`: the platform), or who tried to authenticate (`anonymous`: no readable token). */
    actor: string;
    /** What was done, `<subject>.<verb>`: `room.created`, `member.removed`, `auth.failed`… */
    action: string;
    target: {
      /** `address`: a client address, for failed authentications without a readable token. */
      type: 'room' | 'user' | 'message' | 'report' | 'address';
      id: string;
    };
    /** Room identifier, e.g. `general` or `room-123`. */
    room_id?: string;
    reason?: string;
    correlation_id: string;
  }>;
};

/** The user's erasure (`DELETE /api/me`). */
export type Erasure = {
  /** The JWT `sub` of a user. */
  user_id: string;
  /** The JWT `sub` of a user. */
  erased_by: string;
  /** ISO 8601 time, UTC. */
  erased_at: string;
  /** How many of the user's data keys this request destroyed (0 when erased before). */
  keys_destroyed: number;
};

/** Frames the client sends to `/ws`, by `type`. */
export interface ClientFrames {
  /** First frame after connecting; also refreshes the token of a long-lived connection. */
  authenticate: {
    type: 'authenticate';
    token: string;
  };
  /** Application-level heartbeat; answered by `pong` echoing `ts`. */
  ping: {
    type: 'ping';
    ts?: number;
  };
  /** Join (or re-join) a room. With `last_seq`, every later message is delivered first. */
  join_room: {
    type: 'join_room';
    /** Room identifier, e.g. `general` or `room-123`. */
    room_id: string;
    /** A sequence seen by the client (0: none). */
    last_seq?: number;
  };
  leave_room: {
    type: 'leave_room';
    /** Room identifier, e.g. `general` or `room-123`. */
    room_id: string;
  };
  /** A message to a room: `content` in a plain room, `mls` (an MLS PrivateMessage or PublicMessage) in an end-to-end encrypted one; exactly one of them. */
  send_message: {
    type: 'send_message';
    /** Room identifier, e.g. `general` or `room-123`. */
    room_id: string;
    content?: string;
    message_type?: 'text';
    /** Client-chosen idempotency key: repeating it returns the original message id and seq. */
    client_msg_id?: string;
    /** Server-assigned message id. */
    thread_id?: string;
    /** An MLSMessage (RFC 9420 §6), base64. */
    mls?: string;
    mls_commit?: {
      /** Users the commit adds: the Welcome is theirs. */
      added: string[];
      /** Users the commit removes from the room. */
      removed: string[];
      /** An MLSMessage (RFC 9420 §6), base64. */
      welcome?: string;
    };
  };
  /** Sets the status the members of the caller's rooms see while the caller is connected (`offline`: appear offline). It falls back to `online` once every connection closed. */
  presence_update: {
    type: 'presence_update';
    status: 'online' | 'away' | 'busy' | 'offline';
  };
  /** The caller is typing in a room joined on this connection. Repeat `start` at least every 3 s while typing: an indicator ends by itself 5 s after the last one, or at `stop`. */
  typing: {
    type: 'typing';
    /** Room identifier, e.g. `general` or `room-123`. */
    room_id: string;
    state: 'start' | 'stop';
  };
  share_file: {
    type: 'share_file';
    /** Room identifier, e.g. `general` or `room-123`. */
    room_id: string;
    file_url: string;
    file_name: string;
    file_size: number;
    /** Client-chosen idempotency key: repeating it returns the original message id and seq. */
    client_msg_id?: string;
  };
  /** The user has read the room up to `seq`: its unread count drops to what came after. */
  mark_read: {
    type: 'mark_read';
    /** Room identifier, e.g. `general` or `room-123`. */
    room_id: string;
    /** Per-room message sequence number: assigned once, strictly increasing, gap-free. */
    seq: number;
  };
  /** Add or remove the caller’s reaction to a message. Answered by `reaction_ack`, or an `error` whose `ref` is `client_msg_id` (else `react`). Adding twice, or removing what is not there, changes nothing and is answered all the same. */
  react: {
    type: 'react';
    /** Room identifier, e.g. `general` or `room-123`. */
    room_id: string;
    /** Server-assigned message id. */
    message_id: string;
    /** One emoji (e.g. 👍, 👨‍👩‍👧, 🇫🇷, 👋🏽) or a `:short_code:` of at most 64 letters, digits, _ + -. */
    emoji: string;
    action: 'add' | 'remove';
    /** Echoed in the answer and as `ref`. */
    client_msg_id?: string;
  };
}

/** Frames the gateway sends, by `type`. */
export interface ServerFrames {
  authenticated: {
    type: 'authenticated';
    /** The JWT `sub` of a user. */
    user_id: string;
    /** Seconds between the pings the server expects. */
    heartbeat_interval: number;
  };
  pong: {
    type: 'pong';
    ts?: number;
  };
  /** The room was joined; `last_seq` is its newest message at that moment (0: empty). */
  room_joined: {
    type: 'room_joined';
    /** Room identifier, e.g. `general` or `room-123`. */
    room_id: string;
    /** A sequence seen by the client (0: none). */
    last_seq: number;
  };
  /** The connection no longer receives the room (it left, or was removed or banned). */
  room_left: {
    type: 'room_left';
    /** Room identifier, e.g. `general` or `room-123`. */
    room_id: string;
    /** Absent when the user left; `removed` by a moderator; `banned` from the room. */
    reason?: 'removed' | 'banned';
  };
  /** The message is durably stored; repeated for a repeated `client_msg_id`. */
  ack: {
    type: 'ack';
    client_msg_id: string | null;
    /** Server-assigned message id. */
    message_id: string;
    /** Room identifier, e.g. `general` or `room-123`. */
    room_id: string;
    /** Per-room message sequence number: assigned once, strictly increasing, gap-free. */
    seq: number;
    /** ISO 8601 time, UTC. */
    created_at: string;
    /** Server-assigned message id. */
    thread_id?: string;
  };
  message: {
    type: 'message';
    /** Room identifier, e.g. `general` or `room-123`. */
    room_id: string;
    /** Server-assigned message id. */
    message_id: string;
    /** Per-room message sequence number: assigned once, strictly increasing, gap-free. */
    seq: number;
    /** The JWT `sub` of a user. */
    sender_id: string;
    content: string;
    message_type: 'text' | 'file' | 'system' | 'mls';
    /** ISO 8601 time, UTC. */
    created_at: string;
    client_msg_id: string | null;
    file?: {
      /** Media-service-assigned file id. */
      file_id: string;
      /** As the uploader named it. */
      file_name: string;
      /** In bytes. */
      file_size: number;
      /** The verified type of its content. */
      content_type: string;
      /** GET it (members only) for a download link. */
      file_url: string;
    };
    /** ISO 8601 time, UTC. */
    edited_at?: string;
    /** ISO 8601 time, UTC. */
    deleted_at?: string;
    erased?: boolean;
    expired?: boolean;
    reactions?: {
      emoji: string;
      /** How many users reacted with it. */
      count: number;
      /** Whether the viewer is one of them. */
      me: boolean;
    }[];
    /** Server-assigned message id. */
    thread_id?: string;
    thread?: {
      /** Replies not deleted. */
      reply_count: number;
      /** ISO 8601 time, UTC. */
      last_reply_at: string;
      /** Who replied, first repliers first; the first 10 distinct senders. */
      participants: string[];
    };
    mentions?: string[];
    /** An MLSMessage (RFC 9420 §6), base64. */
    mls?: string;
  };
  member_joined: {
    type: 'member_joined';
    /** Room identifier, e.g. `general` or `room-123`. */
    room_id: string;
    /** The JWT `sub` of a user. */
    user_id: string;
  };
  member_left: {
    type: 'member_left';
    /** Room identifier, e.g. `general` or `room-123`. */
    room_id: string;
    /** The JWT `sub` of a user. */
    user_id: string;
  };
  room_updated: {
    type: 'room_updated';
    /** Room identifier, e.g. `general` or `room-123`. */
    room_id: string;
    name: string;
    private: boolean;
  };
  room_deleted: {
    type: 'room_deleted';
    /** Room identifier, e.g. `general` or `room-123`. */
    room_id: string;
  };
  /** The sender edited the message with this seq: it now reads `content`. */
  message_edited: {
    type: 'message_edited';
    /** Room identifier, e.g. `general` or `room-123`. */
    room_id: string;
    /** Server-assigned message id. */
    message_id: string;
    /** Per-room message sequence number: assigned once, strictly increasing, gap-free. */
    seq: number;
    content: string;
    /** ISO 8601 time, UTC. */
    edited_at: string;
  };
  /** The message with this seq was deleted; history keeps its seq as a tombstone. */
  message_deleted: {
    type: 'message_deleted';
    /** Room identifier, e.g. `general` or `room-123`. */
    room_id: string;
    /** Server-assigned message id. */
    message_id: string;
    /** Per-room message sequence number: assigned once, strictly increasing, gap-free. */
    seq: number;
  };
  /** Every message up to `through_seq` is past the room's retention: history and resume keep their seqs as tombstones (`expired: true`); a client drops what it holds of them. */
  history_expired: {
    type: 'history_expired';
    /** Room identifier, e.g. `general` or `room-123`. */
    room_id: string;
    /** Per-room message sequence number: assigned once, strictly increasing, gap-free. */
    through_seq: number;
  };
  /** A member of one of the rooms joined on this connection changed status, or joined one of them; after `room_joined`, one per member of the room who is not offline. */
  presence: {
    type: 'presence';
    /** The JWT `sub` of a user. */
    user_id: string;
    status: 'online' | 'away' | 'busy' | 'offline';
    last_seen: string | null;
  };
  /** A member started or stopped typing in the room; `stop` also comes when an indicator expired (5 s without renewal). */
  typing: {
    type: 'typing';
    /** Room identifier, e.g. `general` or `room-123`. */
    room_id: string;
    /** The JWT `sub` of a user. */
    user_id: string;
    state: 'start' | 'stop';
  };
  /** The user's unread counts: every room of theirs shortly after the connection authenticates (what was missed while away: resume each room from its read mark), and a room's again whenever a `mark_read` from any of the user's devices moves its read mark. */
  unread: {
    type: 'unread';
    rooms: {
      /** Room identifier, e.g. `general` or `room-123`. */
      room_id: string;
      /** Messages by others after the user's read mark. */
      unread: number;
      /** A sequence seen by the client (0: none). */
      last_seq: number;
    }[];
  };
  /** A member added or removed a reaction to the message. */
  reaction: {
    type: 'reaction';
    /** Room identifier, e.g. `general` or `room-123`. */
    room_id: string;
    /** Server-assigned message id. */
    message_id: string;
    /** Per-room message sequence number: assigned once, strictly increasing, gap-free. */
    seq: number;
    /** The JWT `sub` of a user. */
    user_id: string;
    emoji: string;
    action: 'add' | 'remove';
    /** How many users now have this emoji on the message. */
    count: number;
  };
  /** The `react` frame is stored (or changed nothing: the reaction already was so). */
  reaction_ack: {
    type: 'reaction_ack';
    client_msg_id: string | null;
    /** Room identifier, e.g. `general` or `room-123`. */
    room_id: string;
    /** Server-assigned message id. */
    message_id: string;
    emoji: string;
    action: 'add' | 'remove';
    /** How many users now have this emoji on the message. */
    count: number;
  };
  /** The thread rooted at this message gained a reply, or lost one to a deletion. `message_id` and `seq` are the root's; the rest is its new thread summary. */
  thread_updated: {
    type: 'thread_updated';
    /** Room identifier, e.g. `general` or `room-123`. */
    room_id: string;
    /** Server-assigned message id. */
    message_id: string;
    /** Per-room message sequence number: assigned once, strictly increasing, gap-free. */
    seq: number;
    reply_count: number;
    /** ISO 8601 time, UTC. */
    last_reply_at: string;
    participants: string[];
  };
  error: {
    type: 'error';
    code:
      | 'unauthenticated'
      | 'invalid_token'
      | 'token_expired'
      | 'already_authenticated'
      | 'invalid_frame'
      | 'invalid_request'
      | 'unknown_type'
      | 'frame_too_large'
      | 'content_too_long'
      | 'content_empty'
      | 'rate_limited'
      | 'overloaded'
      | 'too_many_connections'
      | 'not_member'
      | 'room_not_found'
      | 'room_exists'
      | 'message_not_found'
      | 'message_deleted'
      | 'forbidden'
      | 'feature_disabled'
      | 'file_too_large'
      | 'file_type_not_allowed'
      | 'file_type_mismatch'
      | 'file_size_mismatch'
      | 'file_not_found'
      | 'file_not_verified'
      | 'upload_incomplete'
      | 'upload_expired'
      | 'subscription_not_found'
      | 'seq_out_of_range'
      | 'conflict'
      | 'timeout'
      | 'unavailable'
      | 'internal'
      | 'invalid_emoji'
      | 'too_many_reactions'
      | 'banned'
      | 'muted'
      | 'content_blocked'
      | 'report_not_found'
      | 'suspended'
      | 'account_erased'
      | 'encryption_required'
      | 'stale_epoch'
      | 'malformed_mls'
      | 'credential_mismatch'
      | 'key_package_not_found'
      | 'welcome_not_found';
    message: string;
    ref: string | null;
    /** On `rate_limited` and `overloaded`: how long to wait before sending the frame again (same client_msg_id). */
    retry_after_ms?: number;
  };
  /** A member reported a message: sent to every socket of the room's owner and moderators. Resolve it with `POST /api/moderation/reports/{report_id}/resolve`. */
  report_created: {
    type: 'report_created';
    /** Room identifier, e.g. `general` or `room-123`. */
    room_id: string;
    report_id: string;
    /** Server-assigned message id. */
    message_id: string;
    /** Per-room message sequence number: assigned once, strictly increasing, gap-free. */
    seq: number;
    /** The JWT `sub` of a user. */
    sender_id: string;
    /** The JWT `sub` of a user. */
    reporter_id: string;
    reason: string;
    /** ISO 8601 time, UTC. */
    reported_at: string;
  };
  /** A room was opened with the user in it (a direct room, by either of its members): sent to every socket of each member. Join it to receive its messages. */
  room_added: {
    type: 'room_added';
    /** Room identifier, e.g. `general` or `room-123`. */
    room_id: string;
    kind: 'group' | 'direct';
    members: string[];
    encryption?: 'none' | 'mls';
  };
  /** A commit at `seq` added the user to an end-to-end encrypted room's group: join it with this Welcome (an MLSMessage), then acknowledge it (`DELETE /api/mls/welcomes/{room_id}/{seq}`). Kept until acknowledged: `GET /api/mls/welcomes` lists the pending ones. */
  mls_welcome: {
    type: 'mls_welcome';
    /** Room identifier, e.g. `general` or `room-123`. */
    room_id: string;
    /** Per-room message sequence number: assigned once, strictly increasing, gap-free. */
    seq: number;
    /** An MLSMessage (RFC 9420 §6), base64. */
    welcome: string;
  };
  /** A member of a joined room has read it up to `seq` (their `mark_read`): at most one a second per member and room, carrying the newest seq, never lower than one sent before. Members who turned `read_receipts` off send none. */
  receipt: {
    type: 'receipt';
    /** Room identifier, e.g. `general` or `room-123`. */
    room_id: string;
    /** The JWT `sub` of a user. */
    user_id: string;
    /** Per-room message sequence number: assigned once, strictly increasing, gap-free. */
    seq: number;
    /** ISO 8601 time, UTC. */
    read_at: string;
  };
}

export type ClientFrame = ClientFrames[keyof ClientFrames];

export type ClientFrameOf<K extends keyof ClientFrames> = ClientFrames[K];

export type ServerFrame = ServerFrames[keyof ServerFrames];

export type ServerFrameOf<K extends keyof ServerFrames> = ServerFrames[K];

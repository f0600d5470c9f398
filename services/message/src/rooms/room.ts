import {
  compileContentFilter,
  NO_FILTER,
  type ContentFilter,
  type MemberRole,
  type ReportAction,
  type RoomEncryption,
  type RoomContentFilter,
  type RoomKind,
  type ThreadSummary,
} from '@chat/contracts';
import { RecentEdits } from '../messages/recent-edits';
import { RecentSends } from '../messages/recent-sends';
import { NO_MLS_GROUP, type MlsGroupFacts } from '../mls/group';
import type { MessageReactions } from '../reactions/reactions';
import type { RoomEvent } from '../room-command';
import { PersistentMap } from '../shared/persistent-map';

export interface Membership {
  role: MemberRole;
  joined_at: string;
  /** The room's newest seq when the member joined. */
  joined_after_seq: number;
}

/** A ban or a mute: until when (null: until lifted). */
export interface Restriction {
  until: string | null;
}

/** A ban, with why and by whom: what the room's moderators list. */
export interface Ban extends Restriction {
  reason: string | null;
  banned_by: string;
  banned_at: string;
}

/** A report of a message to the room's moderators, and what became of it. */
export interface ReportFacts {
  message_id: string;
  seq: number;
  sender_id: string;
  reporter_id: string;
  reason: string;
  reported_at: string;
  resolution: { action: ReportAction; resolved_by: string; resolved_at: string } | null;
}

/** What edits and deletions of a message are decided on: its place, its author, whether it is gone. */
export interface MessageFacts {
  seq: number;
  senderId: string;
  deleted: boolean;
  /** On a reply: its thread's root. */
  threadId?: string;
  /** On a root: its thread's summary, once it had a reply. */
  thread?: ThreadSummary;
}

/** One room as its stream tells it: the room itself, who belongs to it, and its messages' progress. */
export interface RoomState {
  /** `deleted` rooms keep their stream (ids are never reused) but accept nothing. */
  status: 'absent' | 'active' | 'deleted';
  kind: RoomKind;
  name: string;
  private: boolean;
  ownerId: string;
  createdAt: string;
  members: PersistentMap<string, Membership>;
  /** Bans by user id, ended ones included until lifted: the rule reads their end against the time. */
  bans: PersistentMap<string, Ban>;
  /** Mutes by user id, as bans. */
  mutes: PersistentMap<string, Restriction>;
  /** Reports of the room's messages by report id, open and resolved. */
  reports: PersistentMap<string, ReportFacts>;
  /** What the owner adds to the deployment's content filter, as set and compiled. */
  contentFilter: { settings: RoomContentFilter; filter: ContentFilter };
  /** The room's own retention in days; null: the deployment's. */
  retentionDays: number | null;
  /** Every message up to this seq has expired (0: none). */
  expiredThroughSeq: number;
  /** The number of messages, which is also the newest one's seq (0: none). */
  lastSeq: number;
  /** The newest message's time: a later message is never stamped earlier, so time order is seq order. */
  lastMessageAt: string;
  /** Outcomes of the latest sends, to answer a repeated command with its original result. */
  recentSends: RecentSends;
  /** Every message of the room by id: any of them may be edited or deleted, however old. */
  messages: PersistentMap<string, MessageFacts>;
  /** Outcomes of the latest edits, to answer a repeated command with its original result. */
  recentEdits: RecentEdits;
  /** Who reacted with what, by message id: the facts the reaction limits are decided on. */
  reactions: PersistentMap<string, MessageReactions>;
  /** `mls`: the room carries only MLS messages, and `mls` follows its group. */
  encryption: RoomEncryption;
  mls: MlsGroupFacts;
}

export const initialRoomState: RoomState = {
  status: 'absent',
  kind: 'group',
  name: '',
  private: false,
  ownerId: '',
  createdAt: '',
  members: PersistentMap.empty(),
  bans: PersistentMap.empty(),
  mutes: PersistentMap.empty(),
  reports: PersistentMap.empty(),
  contentFilter: { settings: { blocked_terms: [], block_links: false }, filter: NO_FILTER },
  retentionDays: null,
  expiredThroughSeq: 0,
  lastSeq: 0,
  lastMessageAt: '',
  recentSends: RecentSends.empty(),
  messages: PersistentMap.empty(),
  recentEdits: RecentEdits.empty(),
  reactions: PersistentMap.empty(),
  encryption: 'none',
  mls: NO_MLS_GROUP,
};

export const evolve = (state: RoomState, event: RoomEvent): RoomState => {
  switch (event.type) {
    case 'RoomCreated': {
      const { name, private: isPrivate, owner_id, created_at, kind = 'group' } = event.data;
      return {
        ...state,
        status: 'active',
        kind,
        name,
        private: isPrivate,
        ownerId: owner_id,
        createdAt: created_at,
      };
    }
    case 'RoomUpdated':
      return { ...state, name: event.data.name, private: event.data.private };
    case 'RoomDeleted':
      return { ...state, status: 'deleted' };
    case 'RoomContentFilterChanged': {
      const settings = event.data.content_filter;
      // A room's entries are terms, never expressions: no room owner makes the service run one.
      return {
        ...state,
        contentFilter: { settings, filter: compileContentFilter(settings, { patterns: false }) },
      };
    }
    case 'RoomRetentionChanged':
      return { ...state, retentionDays: event.data.retention_days };
    case 'RoomHistoryExpired':
      return { ...state, expiredThroughSeq: Math.max(state.expiredThroughSeq, event.data.through_seq) };
    case 'MemberJoined': {
      const { user_id, role, joined_at } = event.data;
      const joined = { role, joined_at, joined_after_seq: state.lastSeq };
      return { ...state, members: state.members.set(user_id, joined) };
    }
    case 'MemberLeft':
      return { ...state, members: state.members.delete(event.data.user_id) };
    case 'MemberRoleChanged': {
      const member = state.members.get(event.data.user_id);
      if (!member) return state;
      return {
        ...state,
        members: state.members.set(event.data.user_id, { ...member, role: event.data.role }),
      };
    }
    case 'MemberBanned': {
      const { user_id, until, reason, banned_by, banned_at } = event.data;
      return {
        ...state,
        members: state.members.delete(user_id),
        mutes: state.mutes.delete(user_id),
        bans: state.bans.set(user_id, { until, reason, banned_by, banned_at }),
      };
    }
    case 'MemberUnbanned':
      return { ...state, bans: state.bans.delete(event.data.user_id) };
    case 'MemberMuted':
      return { ...state, mutes: state.mutes.set(event.data.user_id, { until: event.data.until }) };
    case 'MemberUnmuted':
      return { ...state, mutes: state.mutes.delete(event.data.user_id) };
    case 'MessageReported': {
      const { report_id, message_id, seq, sender_id, reporter_id, reason, reported_at } = event.data;
      const report = { message_id, seq, sender_id, reporter_id, reason, reported_at, resolution: null };
      return { ...state, reports: state.reports.set(report_id, report) };
    }
    case 'ReportResolved': {
      const { report_id, action, resolved_by, resolved_at } = event.data;
      const report = state.reports.get(report_id);
      if (!report) return state;
      return {
        ...state,
        reports: state.reports.set(report_id, {
          ...report,
          resolution: { action, resolved_by, resolved_at },
        }),
      };
    }
    case 'MessageSent': {
      const { message_id, seq, sender_id, created_at, client_msg_id, thread_id } = event.data;
      const facts = { seq, senderId: sender_id, deleted: false };
      return {
        ...state,
        lastSeq: seq,
        lastMessageAt: created_at,
        recentSends: state.recentSends.with({ message_id, seq, created_at, client_msg_id }),
        messages: state.messages.set(message_id, thread_id ? { ...facts, threadId: thread_id } : facts),
      };
    }
    case 'MessageEdited': {
      const { edit_id, message_id, seq, edited_at } = event.data;
      return { ...state, recentEdits: state.recentEdits.with(edit_id, { message_id, seq, edited_at }) };
    }
    case 'MessageDeleted': {
      const facts = state.messages.get(event.data.message_id);
      if (!facts) return state;
      return { ...state, messages: state.messages.set(event.data.message_id, { ...facts, deleted: true }) };
    }
    case 'ThreadUpdated': {
      const root = state.messages.get(event.data.message_id);
      if (!root) return state;
      return {
        ...state,
        messages: state.messages.set(event.data.message_id, { ...root, thread: event.data.thread }),
      };
    }
    default:
      // An event type this version does not know yet changes nothing it decides on.
      return state;
  }
};

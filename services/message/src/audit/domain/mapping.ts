import type {
  AuditRecord,
  AuthFailureSummary,
  EventRecord,
  MessageServiceEvent,
  UserStreamEvent,
} from '@chat/contracts';
import { nameBasedUuid, uuidBytes } from '@chat/event-sourcing';

/** What a mapping says of one event: the record but for the fields every record takes alike. */
export type AuditEntry = Omit<AuditRecord, 'audit_id' | 'correlation_id'>;

/** Facts an event does not carry, looked up before mapping a batch. */
export interface AuditFacts {
  /** Who sent the message, if it is known. */
  senderOf(messageId: string): string | undefined;
}

/** What a mapping knows besides the event's data: who caused it (its metadata), and the facts. */
export interface AuditSource extends AuditFacts {
  actorId: string;
}

/**
 * The message service's events: of its rooms (`message.events`) and of its users
 * (`user.suspensions`, `user.erasures`).
 */
type AuditableEvent = MessageServiceEvent | UserStreamEvent;
type AuditableEventType = AuditableEvent['type'];
type DataOf<K extends AuditableEventType> = Extract<AuditableEvent, { type: K }>['data'];

type Mapping<K extends AuditableEventType> = (data: DataOf<K>, source: AuditSource) => AuditEntry | null;

const untilReason = (until: string | null, reason?: string | null) =>
  [reason, until === null ? 'until lifted' : `until ${until}`].filter(Boolean).join('; ');

/**
 * Which events of the message service are audited, and as what. Adding an audited event is adding
 * its entry; an event without one is not audited. A mapping may also decline one event (null).
 */
export const AUDIT_MAPPINGS: { [K in AuditableEventType]?: Mapping<K> } = {
  // Whoever opened it: a direct room's owner is the platform's placeholder, not the user.
  RoomCreated: (data, source) => ({
    at: data.created_at,
    actor: source.actorId,
    action: 'room.created',
    target: { type: 'room', id: data.room_id },
    room_id: data.room_id,
  }),
  RoomUpdated: (data) => ({
    at: data.updated_at,
    actor: data.updated_by,
    action: 'room.updated',
    target: { type: 'room', id: data.room_id },
    room_id: data.room_id,
  }),
  RoomDeleted: (data) => ({
    at: data.deleted_at,
    actor: data.deleted_by,
    action: 'room.deleted',
    target: { type: 'room', id: data.room_id },
    room_id: data.room_id,
  }),
  MemberJoined: (data) => ({
    at: data.joined_at,
    actor: data.added_by,
    action: 'member.added',
    target: { type: 'user', id: data.user_id },
    room_id: data.room_id,
    reason: `role ${data.role}`,
  }),
  MemberLeft: (data) => ({
    at: data.left_at,
    actor: data.removed_by,
    action: 'member.removed',
    target: { type: 'user', id: data.user_id },
    room_id: data.room_id,
  }),
  RoomContentFilterChanged: (data) => ({
    at: data.changed_at,
    actor: data.changed_by,
    action: 'room.content_filter_changed',
    target: { type: 'room', id: data.room_id },
    room_id: data.room_id,
  }),
  RoomRetentionChanged: (data) => ({
    at: data.changed_at,
    actor: data.changed_by,
    action: 'room.retention_changed',
    target: { type: 'room', id: data.room_id },
    room_id: data.room_id,
    reason: data.retention_days === null ? 'the deployment’s retention' : `${data.retention_days} days`,
  }),
  // Proof that retention was applied: which messages expired, and the cutoff they were older than.
  RoomHistoryExpired: (data, source) => ({
    at: data.expired_at,
    actor: source.actorId,
    action: 'room.history_expired',
    target: { type: 'room', id: data.room_id },
    room_id: data.room_id,
    reason: `messages up to seq ${data.through_seq}, created before ${data.cutoff}`,
  }),
  MemberRoleChanged: (data) => ({
    at: data.changed_at,
    actor: data.changed_by,
    action: 'member.role_changed',
    target: { type: 'user', id: data.user_id },
    room_id: data.room_id,
    reason: `role ${data.role}`,
  }),
  MemberBanned: (data) => ({
    at: data.banned_at,
    actor: data.banned_by,
    action: 'member.banned',
    target: { type: 'user', id: data.user_id },
    room_id: data.room_id,
    reason: untilReason(data.until, data.reason),
  }),
  MemberUnbanned: (data) => ({
    at: data.unbanned_at,
    actor: data.unbanned_by,
    action: 'member.unbanned',
    target: { type: 'user', id: data.user_id },
    room_id: data.room_id,
  }),
  MemberMuted: (data) => ({
    at: data.muted_at,
    actor: data.muted_by,
    action: 'member.muted',
    target: { type: 'user', id: data.user_id },
    room_id: data.room_id,
    reason: untilReason(data.until),
  }),
  MemberUnmuted: (data) => ({
    at: data.unmuted_at,
    actor: data.unmuted_by,
    action: 'member.unmuted',
    target: { type: 'user', id: data.user_id },
    room_id: data.room_id,
  }),
  MessageReported: (data) => ({
    at: data.reported_at,
    actor: data.reporter_id,
    action: 'report.created',
    target: { type: 'report', id: data.report_id },
    room_id: data.room_id,
    reason: data.reason,
  }),
  ReportResolved: (data) => ({
    at: data.resolved_at,
    actor: data.resolved_by,
    action: 'report.resolved',
    target: { type: 'report', id: data.report_id },
    room_id: data.room_id,
    reason: data.action,
  }),
  UserSuspended: (data) => ({
    at: data.suspended_at,
    actor: data.suspended_by,
    action: 'user.suspended',
    target: { type: 'user', id: data.user_id },
    reason: untilReason(data.until, data.reason),
  }),
  UserUnsuspended: (data) => ({
    at: data.unsuspended_at,
    actor: data.unsuspended_by,
    action: 'user.unsuspended',
    target: { type: 'user', id: data.user_id },
  }),
  // Who erased whom and when: an erasure carries no content, nor does its record.
  UserErased: (data) => ({
    at: data.erased_at,
    actor: data.erased_by,
    action: 'user.erased',
    target: { type: 'user', id: data.user_id },
  }),
  // A sender deleting their own message is not moderation; anyone else deleting it is.
  MessageDeleted: (data, source) =>
    source.senderOf(data.message_id) === data.deleted_by
      ? null
      : {
          at: data.deleted_at,
          actor: data.deleted_by,
          action: 'message.deleted',
          target: { type: 'message', id: data.message_id },
          room_id: data.room_id,
        },
};

/** Audit ids are name-based UUIDs of their source's id in this namespace. */
const AUDIT_NAMESPACE = uuidBytes('5c1f3e0e-6a43-4b1e-9d7e-2f8a9f0c7d31');

/** One source, one id: a source seen again (redelivered) yields the same `audit_id`. */
export const auditIdOf = (sourceId: string): string => nameBasedUuid(AUDIT_NAMESPACE, sourceId);

/** The audit record of a message-service event, or null when that event is not audited. */
export const auditRecordOfEvent = (event: EventRecord, facts: AuditFacts): AuditRecord | null => {
  const mapping = AUDIT_MAPPINGS[event.type as AuditableEventType] as Mapping<AuditableEventType> | undefined;
  const source = { actorId: event.metadata.actor_id, senderOf: facts.senderOf };
  const entry = mapping?.(event.data as DataOf<AuditableEventType>, source);
  if (!entry) return null;
  return { audit_id: auditIdOf(event.event_id), ...entry, correlation_id: event.metadata.correlation_id };
};

/** The audit record of a gateway's failed authentications of one subject in one minute. */
export const auditRecordOfAuthFailures = (summary: AuthFailureSummary): AuditRecord => {
  const codes = Object.entries(summary.codes)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([code, count]) => `${code} ×${count}`)
    .join(', ');
  return {
    audit_id: auditIdOf(`auth.failures/${summary.summary_id}`),
    at: summary.minute,
    actor: summary.subject.type === 'user' ? summary.subject.id : 'anonymous',
    action: 'auth.failed',
    target: summary.subject,
    reason: `${summary.count} failed authentication${summary.count === 1 ? '' : 's'} in the minute (${codes})`,
    // The minute's failures seen by one gateway go together.
    correlation_id: `auth.failures/${summary.gateway}/${summary.minute}`,
  };
};

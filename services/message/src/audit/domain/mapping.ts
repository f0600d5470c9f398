import type {
  AuditRecord,
  AuthFailureSummary,
  EventRecord,
  EventOf,
  MessageServiceEventType,
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

type Mapping<K extends MessageServiceEventType> = (
  data: EventOf<K>['data'],
  source: AuditSource,
) => AuditEntry | null;

/**
 * Which events of the message service are audited, and as what. Adding an audited event is adding
 * its entry; an event without one is not audited. A mapping may also decline one event (null).
 */
export const AUDIT_MAPPINGS: { [K in MessageServiceEventType]?: Mapping<K> } = {
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
  const mapping = AUDIT_MAPPINGS[event.type as MessageServiceEventType] as Mapping<MessageServiceEventType>;
  const source = { actorId: event.metadata.actor_id, senderOf: facts.senderOf };
  const entry = mapping?.(event.data as EventOf<MessageServiceEventType>['data'], source);
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

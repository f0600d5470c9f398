import { Type, type Static } from '@sinclair/typebox';
import { RoomId, Timestamp, UserId } from '../primitives';

/** What an audited action was done to. */
export const AuditTarget = Type.Object({
  type: Type.Union(
    [
      Type.Literal('room'),
      Type.Literal('user'),
      Type.Literal('message'),
      Type.Literal('report'),
      Type.Literal('address'),
    ],
    { description: '`address`: a client address, for failed authentications without a readable token.' },
  ),
  id: Type.String({ minLength: 1 }),
});
export type AuditTarget = Static<typeof AuditTarget>;

/**
 * A moderation or security-relevant action, as the audit log records it. Derived from a domain
 * event or a gateway signal; `audit_id` is derived from that source's id, so a source seen twice
 * is one record.
 */
export const AuditRecord = Type.Object({
  audit_id: Type.String({
    pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
    description: 'A name-based UUID of the source (event id or signal).',
  }),
  at: Timestamp,
  actor: Type.String({
    minLength: 1,
    description:
      'The user who acted (`system`: the platform), or who tried to authenticate (`anonymous`: no readable token).',
  }),
  action: Type.String({
    pattern: '^[a-z_]+\\.[a-z_]+$',
    description: 'What was done, `<subject>.<verb>`: `room.created`, `member.removed`, `auth.failed`…',
  }),
  target: AuditTarget,
  room_id: Type.Optional(RoomId),
  reason: Type.Optional(Type.String()),
  correlation_id: Type.String(),
});
export type AuditRecord = Static<typeof AuditRecord>;

/** A SHA-256 digest, lowercase hex. */
const sha256Hex = (description: string) => Type.String({ pattern: '^[0-9a-f]{64}$', description });

/**
 * An audit record in its chain: `hash` is SHA-256 over the canonical encoding of every other
 * field (`prev_hash` included), so editing any record, or removing or reordering one, breaks the
 * chain at that record.
 */
export const ChainedAuditRecord = Type.Composite([
  AuditRecord,
  Type.Object({
    seq: Type.Integer({ minimum: 1, description: "The record's place in its chain, from 1." }),
    prev_hash: sha256Hex("The previous record's `hash`; 64 zeros for the first record."),
    hash: sha256Hex(
      'SHA-256 of the canonical encoding of the other fields (docs/architecture.md, "Audit log").',
    ),
  }),
]);
export type ChainedAuditRecord = Static<typeof ChainedAuditRecord>;

/**
 * Failed `authenticate` frames on one gateway, summarised per subject per minute, on
 * `auth.failures` keyed by subject. The subject is the token's `sub` when it can be read (the
 * signature need not hold), else the client's address.
 */
export const AuthFailureSummary = Type.Object({
  summary_id: Type.String({
    minLength: 1,
    maxLength: 64,
    description: 'Unique per summary: the audit log records a redelivered one once.',
  }),
  subject: Type.Union([
    Type.Object({ type: Type.Literal('user'), id: UserId }),
    Type.Object({ type: Type.Literal('address'), id: Type.String({ minLength: 1 }) }),
  ]),
  minute: Timestamp,
  count: Type.Integer({ minimum: 1 }),
  codes: Type.Record(Type.String(), Type.Integer({ minimum: 1 }), {
    description: 'How many failures gave each error code.',
  }),
  gateway: Type.String({ description: 'The gateway instance that saw them.' }),
});
export type AuthFailureSummary = Static<typeof AuthFailureSummary>;

export const AuditQuery = Type.Object({
  room_id: Type.Optional(RoomId),
  actor: Type.Optional(UserId),
  action: Type.Optional(Type.String({ maxLength: 64 })),
  since: Type.Optional(Type.String({ format: 'date-time', description: 'Records at or after this time.' })),
  until: Type.Optional(Type.String({ format: 'date-time', description: 'Records before this time.' })),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: "The previous page's `next_cursor`." })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
});
export type AuditQuery = Static<typeof AuditQuery>;

export const AuditPage = Type.Object({
  records: Type.Array(ChainedAuditRecord, { description: 'Newest first.' }),
  next_cursor: Type.Union([Type.String(), Type.Null()], { description: 'Null: no older records.' }),
});
export type AuditPage = Static<typeof AuditPage>;

export const AuditVerification = Type.Object({
  ok: Type.Boolean(),
  records: Type.Integer({ minimum: 0, description: 'How many records were checked.' }),
  first_broken: Type.Optional(
    Type.Object(
      {
        seq: Type.Integer({ minimum: 1 }),
        audit_id: Type.String(),
        reason: Type.Union([
          Type.Literal('hash_mismatch'),
          Type.Literal('prev_hash_mismatch'),
          Type.Literal('seq_gap'),
        ]),
      },
      { description: 'The first record whose stored hash, link or place does not hold.' },
    ),
  ),
});
export type AuditVerification = Static<typeof AuditVerification>;

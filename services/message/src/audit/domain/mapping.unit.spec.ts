import type { AuthFailureSummary, EventRecord } from '@chat/contracts';
import { describe, expect, it } from 'vitest';
import {
  AUDIT_MAPPINGS,
  auditIdOf,
  auditRecordOfAuthFailures,
  auditRecordOfEvent,
  type AuditFacts,
} from './mapping';

const AT = '2026-01-01T10:00:00.000Z';

const event = (type: string, data: unknown): EventRecord => ({
  event_id: '7b0c7a52-5b1a-4f55-9a57-1f6e0c2b9d10',
  type,
  stream: 'room-r1',
  revision: 3,
  data,
  metadata: { correlation_id: 'request-1', causation_id: 'command-1', actor_id: 'alice' },
  recorded_at: AT,
});

const noFacts: AuditFacts = { senderOf: () => undefined };
const sentBy = (sender: string): AuditFacts => ({ senderOf: () => sender });

describe('audit mapping of message-service events', () => {
  it('gives each audited event its record, keyed by the event id and carrying its correlation id', () => {
    expect(
      auditRecordOfEvent(
        event('MemberLeft', { room_id: 'r1', user_id: 'bob', removed_by: 'alice', left_at: AT }),
        noFacts,
      ),
    ).toEqual({
      audit_id: auditIdOf('7b0c7a52-5b1a-4f55-9a57-1f6e0c2b9d10'),
      at: AT,
      actor: 'alice',
      action: 'member.removed',
      target: { type: 'user', id: 'bob' },
      room_id: 'r1',
      correlation_id: 'request-1',
    });
  });

  it.each([
    [
      'RoomCreated',
      // The actor is who caused the event (its metadata): a direct room's owner is the platform.
      { room_id: 'r1', name: '', private: true, owner_id: 'system', created_at: AT, kind: 'direct' },
      'room.created',
      'alice',
      { type: 'room', id: 'r1' },
    ],
    [
      'RoomUpdated',
      { room_id: 'r1', name: 'S', private: true, updated_by: 'admin', updated_at: AT },
      'room.updated',
      'admin',
      { type: 'room', id: 'r1' },
    ],
    [
      'RoomDeleted',
      { room_id: 'r1', deleted_by: 'alice', deleted_at: AT },
      'room.deleted',
      'alice',
      { type: 'room', id: 'r1' },
    ],
    [
      'MemberJoined',
      { room_id: 'r1', user_id: 'bob', role: 'member', added_by: 'alice', joined_at: AT },
      'member.added',
      'alice',
      { type: 'user', id: 'bob' },
    ],
  ])('maps %s to %s', (type, data, action, actor, target) => {
    expect(auditRecordOfEvent(event(type, data), noFacts)).toMatchObject({
      action,
      actor,
      target,
      at: AT,
      room_id: 'r1',
    });
  });

  it.each([
    [
      'MemberRoleChanged',
      { room_id: 'r1', user_id: 'bob', role: 'moderator', changed_by: 'alice', changed_at: AT },
      {
        action: 'member.role_changed',
        actor: 'alice',
        target: { type: 'user', id: 'bob' },
        reason: 'role moderator',
      },
    ],
    [
      'MemberBanned',
      { room_id: 'r1', user_id: 'eve', reason: 'spam', until: null, banned_by: 'mod', banned_at: AT },
      {
        action: 'member.banned',
        actor: 'mod',
        target: { type: 'user', id: 'eve' },
        reason: 'spam; until lifted',
      },
    ],
    [
      'MemberUnbanned',
      { room_id: 'r1', user_id: 'eve', unbanned_by: 'alice', unbanned_at: AT },
      { action: 'member.unbanned', actor: 'alice', target: { type: 'user', id: 'eve' } },
    ],
    [
      'MemberMuted',
      { room_id: 'r1', user_id: 'eve', until: '2026-01-02T00:00:00.000Z', muted_by: 'mod', muted_at: AT },
      {
        action: 'member.muted',
        actor: 'mod',
        target: { type: 'user', id: 'eve' },
        reason: 'until 2026-01-02T00:00:00.000Z',
      },
    ],
    [
      'MemberUnmuted',
      { room_id: 'r1', user_id: 'eve', unmuted_by: 'mod', unmuted_at: AT },
      { action: 'member.unmuted', actor: 'mod', target: { type: 'user', id: 'eve' } },
    ],
    [
      'MessageReported',
      {
        room_id: 'r1',
        report_id: 'rep-1',
        message_id: 'm1',
        seq: 3,
        sender_id: 'eve',
        reporter_id: 'bob',
        reason: 'abuse',
        reported_at: AT,
      },
      { action: 'report.created', actor: 'bob', target: { type: 'report', id: 'rep-1' }, reason: 'abuse' },
    ],
    [
      'ReportResolved',
      { room_id: 'r1', report_id: 'rep-1', action: 'ban', resolved_by: 'mod', resolved_at: AT },
      { action: 'report.resolved', actor: 'mod', target: { type: 'report', id: 'rep-1' }, reason: 'ban' },
    ],
    [
      'RoomContentFilterChanged',
      {
        room_id: 'r1',
        content_filter: { blocked_terms: ['x'], block_links: true },
        changed_by: 'alice',
        changed_at: AT,
      },
      { action: 'room.content_filter_changed', actor: 'alice', target: { type: 'room', id: 'r1' } },
    ],
    [
      'RoomRetentionChanged',
      { room_id: 'r1', retention_days: 7, changed_by: 'alice', changed_at: AT },
      {
        action: 'room.retention_changed',
        actor: 'alice',
        target: { type: 'room', id: 'r1' },
        reason: '7 days',
      },
    ],
  ])('maps the moderation event %s', (type, data, expected) => {
    expect(auditRecordOfEvent(event(type, data), noFacts)).toMatchObject({
      ...expected,
      at: AT,
      room_id: 'r1',
    });
  });

  it('records each expiry of a room’s history, with what expired and the cutoff', () => {
    const expired = event('RoomHistoryExpired', {
      room_id: 'r1',
      through_seq: 42,
      cutoff: '2024-02-01T00:00:00.000Z',
      expired_at: AT,
    });
    expect(auditRecordOfEvent(expired, noFacts)).toMatchObject({
      at: AT,
      actor: 'alice',
      action: 'room.history_expired',
      target: { type: 'room', id: 'r1' },
      room_id: 'r1',
      reason: 'messages up to seq 42, created before 2024-02-01T00:00:00.000Z',
    });
  });

  it('maps platform suspensions, which belong to no room', () => {
    const suspended = auditRecordOfEvent(
      event('UserSuspended', {
        user_id: 'eve',
        reason: 'fraud',
        until: null,
        suspended_by: 'root',
        suspended_at: AT,
      }),
      noFacts,
    );
    expect(suspended).toMatchObject({
      action: 'user.suspended',
      actor: 'root',
      target: { type: 'user', id: 'eve' },
      reason: 'fraud; until lifted',
    });
    expect(suspended).not.toHaveProperty('room_id');
    expect(
      auditRecordOfEvent(
        event('UserUnsuspended', { user_id: 'eve', unsuspended_by: 'root', unsuspended_at: AT }),
        noFacts,
      ),
    ).toMatchObject({ action: 'user.unsuspended', actor: 'root', target: { type: 'user', id: 'eve' } });
  });

  it('maps an erasure without content: who erased whom, and when', () => {
    const erased = auditRecordOfEvent(
      event('UserErased', { user_id: 'eve', erased_by: 'eve', erased_at: AT }),
      noFacts,
    );
    expect(erased).toEqual({
      audit_id: expect.any(String),
      at: AT,
      actor: 'eve',
      action: 'user.erased',
      target: { type: 'user', id: 'eve' },
      correlation_id: expect.any(String),
    });
  });

  it("audits a message deleted by someone other than its sender, and not the sender's own deletion", () => {
    const deleted = event('MessageDeleted', {
      room_id: 'r1',
      message_id: 'm1',
      seq: 4,
      deleted_by: 'alice',
      deleted_at: AT,
    });
    expect(auditRecordOfEvent(deleted, sentBy('bob'))).toMatchObject({
      action: 'message.deleted',
      actor: 'alice',
      target: { type: 'message', id: 'm1' },
    });
    expect(auditRecordOfEvent(deleted, sentBy('alice'))).toBeNull();
    // A sender the service no longer knows of: recorded rather than missed.
    expect(auditRecordOfEvent(deleted, noFacts)).toMatchObject({ action: 'message.deleted' });
  });

  it('leaves out events that are not moderation or security, and types it does not know', () => {
    expect(auditRecordOfEvent(event('MessageSent', {}), noFacts)).toBeNull();
    expect(auditRecordOfEvent(event('ReactionAdded', {}), noFacts)).toBeNull();
    expect(auditRecordOfEvent(event('SomethingNew', {}), noFacts)).toBeNull();
    expect(Object.keys(AUDIT_MAPPINGS).sort()).toEqual([
      'MemberBanned',
      'MemberJoined',
      'MemberLeft',
      'MemberMuted',
      'MemberRoleChanged',
      'MemberUnbanned',
      'MemberUnmuted',
      'MessageDeleted',
      'MessageReported',
      'ReportResolved',
      'RoomContentFilterChanged',
      'RoomCreated',
      'RoomDeleted',
      'RoomHistoryExpired',
      'RoomRetentionChanged',
      'RoomUpdated',
      'UserErased',
      'UserSuspended',
      'UserUnsuspended',
    ]);
  });
});

describe('audit record of failed authentications', () => {
  const summary: AuthFailureSummary = {
    summary_id: 's-1',
    subject: { type: 'user', id: 'bob' },
    minute: '2026-01-01T10:00:00.000Z',
    count: 3,
    codes: { token_expired: 1, invalid_token: 2 },
    gateway: 'gateway-1',
  };

  it('names the claimed user as actor and target, and says how many failed and why', () => {
    expect(auditRecordOfAuthFailures(summary)).toEqual({
      audit_id: auditIdOf('auth.failures/s-1'),
      at: summary.minute,
      actor: 'bob',
      action: 'auth.failed',
      target: { type: 'user', id: 'bob' },
      reason: '3 failed authentications in the minute (invalid_token ×2, token_expired ×1)',
      correlation_id: 'auth.failures/gateway-1/2026-01-01T10:00:00.000Z',
    });
  });

  it('has an anonymous actor when no token named a user', () => {
    const fromAddress = {
      ...summary,
      subject: { type: 'address' as const, id: '203.0.113.7' },
      count: 1,
      codes: { invalid_token: 1 },
    };
    expect(auditRecordOfAuthFailures(fromAddress)).toMatchObject({
      actor: 'anonymous',
      target: { type: 'address', id: '203.0.113.7' },
      reason: '1 failed authentication in the minute (invalid_token ×1)',
    });
  });

  it('is the same record when the summary is delivered again, and another for another summary', () => {
    expect(auditRecordOfAuthFailures(summary)).toEqual(auditRecordOfAuthFailures({ ...summary }));
    expect(auditRecordOfAuthFailures({ ...summary, summary_id: 's-2' }).audit_id).not.toBe(
      auditRecordOfAuthFailures(summary).audit_id,
    );
  });
});

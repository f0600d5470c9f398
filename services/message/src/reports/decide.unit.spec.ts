import type { MessageServiceCommand } from '@chat/contracts';
import { given } from '@chat/event-sourcing';
import { describe, expect, it } from 'vitest';
import type { RoomEvent } from '../room-command';
import { roomDecider } from '../room-decider';
import {
  as,
  memberBanned,
  memberMuted,
  messageDeleted,
  messageSent,
  pastMessageId,
  privateRoom,
  publicRoom,
  roleChanged,
  ROOM,
  T0,
} from '../rooms/room.fixtures';
import { reportIdFor, roomOfReport } from './report-id';

const room = { room_id: ROOM };
const events = (...value: RoomEvent[]) => ({ ok: true, value });
const nothing = { ok: true, value: [] };
const refused = (code: string) => ({ ok: false, error: expect.objectContaining({ code }) });

const MESSAGE = pastMessageId(1, 'bob');
const REPORT = reportIdFor(ROOM, MESSAGE, 'carol');

/** alice owns a public room; mo moderates it; bob wrote message 1; carol and dan are members. */
const withMessage = (...more: RoomEvent[]) => [
  ...publicRoom('alice', 'mo', 'bob', 'carol', 'dan'),
  roleChanged('mo', 'moderator', 'alice'),
  messageSent(1, 'bob'),
  ...more,
];

const reported: RoomEvent = {
  type: 'MessageReported',
  data: {
    ...room,
    report_id: REPORT,
    message_id: MESSAGE,
    seq: 1,
    sender_id: 'bob',
    reporter_id: 'carol',
    reason: 'rude',
    reported_at: T0,
  },
};
const resolved = (action: 'dismiss' | 'delete_message' | 'ban' | 'mute', by = 'mo'): RoomEvent => ({
  type: 'ReportResolved',
  data: { ...room, report_id: REPORT, action, resolved_by: by, resolved_at: T0 },
});

const by = (actor: string, command: MessageServiceCommand, admin = false) =>
  as(actor, command, { actor_is_admin: admin });
const report = (actor: string, messageId = MESSAGE) =>
  by(actor, { type: 'ReportMessage', data: { ...room, message_id: messageId, reason: ' rude ' } });
const resolve = (actor: string, action: 'dismiss' | 'delete_message' | 'ban' | 'mute', admin = false) =>
  by(actor, { type: 'ResolveReport', data: { ...room, report_id: REPORT, action } }, admin);

describe('ReportMessage', () => {
  it('lets a member report another’s message, once', () => {
    expect(given(roomDecider, withMessage())(report('carol'))).toEqual(events(reported));
    expect(given(roomDecider, withMessage(reported))(report('carol'))).toEqual(nothing);
  });

  it('refuses one’s own message, a deleted or unknown one, and a non-member', () => {
    expect(given(roomDecider, withMessage())(report('bob'))).toEqual(refused('invalid_request'));
    expect(given(roomDecider, withMessage(messageDeleted(1, 'bob')))(report('carol'))).toEqual(
      refused('message_not_found'),
    );
    expect(given(roomDecider, withMessage())(report('carol', 'msg_unknown'))).toEqual(
      refused('message_not_found'),
    );
    expect(given(roomDecider, withMessage())(report('zed'))).toEqual(refused('not_member'));
    expect(
      given(roomDecider, [...privateRoom('alice', 'bob'), messageSent(1, 'bob')])(report('zed')),
    ).toEqual(refused('room_not_found'));
  });
});

describe('ResolveReport', () => {
  it('lets a moderator dismiss it, and decides nothing once resolved', () => {
    expect(given(roomDecider, withMessage(reported))(resolve('mo', 'dismiss'))).toEqual(
      events(resolved('dismiss')),
    );
    expect(given(roomDecider, withMessage(reported, resolved('dismiss')))(resolve('mo', 'ban'))).toEqual(
      nothing,
    );
  });

  it('deletes the message, or bans or mutes its sender, before resolving', () => {
    expect(given(roomDecider, withMessage(reported))(resolve('mo', 'delete_message'))).toEqual(
      events({ ...messageDeleted(1, 'bob', 'mo') }, resolved('delete_message')),
    );
    expect(given(roomDecider, withMessage(reported))(resolve('mo', 'ban'))).toEqual(
      events(memberBanned('bob', 'mo', { reason: 'rude' }), resolved('ban')),
    );
    expect(given(roomDecider, withMessage(reported))(resolve('alice', 'mute'))).toEqual(
      events(memberMuted('bob', 'alice'), resolved('mute', 'alice')),
    );
  });

  it('refuses what the action itself would refuse: a moderator banning a moderator', () => {
    const byModerator = withMessage(roleChanged('bob', 'moderator', 'alice'), reported);
    expect(given(roomDecider, byModerator)(resolve('mo', 'ban'))).toEqual(refused('forbidden'));
    expect(given(roomDecider, byModerator)(resolve('alice', 'ban'))).toMatchObject({ ok: true });
  });

  it('hides reports from members who do not moderate, and knows no report it never had', () => {
    expect(given(roomDecider, withMessage(reported))(resolve('dan', 'dismiss'))).toEqual(
      refused('report_not_found'),
    );
    expect(given(roomDecider, withMessage())(resolve('mo', 'dismiss'))).toEqual(refused('report_not_found'));
    expect(given(roomDecider, withMessage(reported))(resolve('root', 'dismiss', true))).toEqual(
      events(resolved('dismiss', 'root')),
    );
  });

  it('lets a mute resolution of a sender who was banned since be refused as not a member', () => {
    expect(
      given(roomDecider, withMessage(reported, memberBanned('bob', 'mo')))(resolve('mo', 'mute')),
    ).toEqual(refused('not_member'));
  });
});

describe('report ids', () => {
  it('name their room, and are stable per message and reporter', () => {
    expect(roomOfReport(REPORT)).toBe(ROOM);
    expect(reportIdFor(ROOM, MESSAGE, 'carol')).toBe(REPORT);
    expect(reportIdFor(ROOM, MESSAGE, 'dan')).not.toBe(REPORT);
    expect(roomOfReport('rpt_nope')).toBeNull();
    expect(
      roomOfReport(`rpt_${Buffer.from('bad room!').toString('base64url')}.${'a'.repeat(22)}`),
    ).toBeNull();
  });
});

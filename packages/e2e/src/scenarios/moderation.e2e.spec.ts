import type { TestSocket } from '@chat/testkit';
import { eventually } from '@chat/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { join, sendAndAck, type Harness } from '../harness';
import { scenario, startHarness } from '../target';

/** A 1×1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

/** Sends a frame with a `client_msg_id` and waits for the `error` naming it. */
const refusalOf = async (socket: TestSocket, frame: Record<string, unknown> & { client_msg_id: string }) => {
  const error = socket.nextOfType('error', 10_000, (each) => each.ref === frame.client_msg_id);
  socket.send(frame);
  return error;
};

scenario('moderation: roles, bans and mutes', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.stop());

  /** A public room owned by `owner`, with `moderator` made its moderator and `members` in it. */
  const moderatedRoom = async (owner: string, moderator: string, ...members: string[]) => {
    const created = await h.api(owner, 'POST', '/api/rooms', {
      name: 'moderated',
      private: false,
      members: [moderator, ...members],
    });
    expect(created.status).toBe(201);
    const roomId = created.body.room_id as string;
    const made = await h.api(owner, 'PUT', `/api/rooms/${roomId}/members/${moderator}/role`, {
      role: 'moderator',
    });
    expect(made).toMatchObject({ status: 200, body: { user_id: moderator, role: 'moderator' } });
    return roomId;
  };

  /** Uploads a photo to the room and has it verified; returns its ticket. */
  const uploadPhoto = async (user: string, roomId: string) => {
    const ticket = await h.api(user, 'POST', '/api/media/uploads', {
      room_id: roomId,
      file_name: 'photo.png',
      content_type: 'image/png',
      size: PNG.length,
    });
    expect(ticket.status).toBe(201);
    expect((await fetch(h.resolve(ticket.body.upload_url), { method: 'PUT', body: PNG })).ok).toBe(true);
    expect((await h.api(user, 'POST', `/api/media/${ticket.body.file_id}/complete`)).status).toBe(200);
    return ticket.body as { file_id: string; file_url: string };
  };

  it('gives roles to the owner alone; members see them; a moderator removes a member, not the owner', async () => {
    const roomId = await moderatedRoom('olga', 'mona', 'pat', 'quinn');
    expect(
      await h.api('mona', 'PUT', `/api/rooms/${roomId}/members/pat/role`, { role: 'moderator' }),
    ).toMatchObject({ status: 403, body: { code: 'forbidden' } });
    expect(
      await h.api('olga', 'PUT', `/api/rooms/${roomId}/members/nobody/role`, { role: 'moderator' }),
    ).toMatchObject({ status: 403, body: { code: 'not_member' } });
    await eventually(async () => {
      const members = await h.api('pat', 'GET', `/api/rooms/${roomId}/members`);
      expect(members.body.members).toContainEqual(
        expect.objectContaining({ user_id: 'mona', role: 'moderator' }),
      );
    });
    expect((await h.api('mona', 'GET', `/api/rooms/${roomId}`)).body.role).toBe('moderator');

    expect((await h.api('mona', 'DELETE', `/api/rooms/${roomId}/members/quinn`)).status).toBe(204);
    expect(await h.api('mona', 'DELETE', `/api/rooms/${roomId}/members/olga`)).toMatchObject({
      status: 403,
      body: { code: 'forbidden' },
    });
    expect(await h.api('pat', 'DELETE', `/api/rooms/${roomId}/members/mona`)).toMatchObject({ status: 403 });
  });

  it('bans a member: their sockets leave at once, they get nothing more and may not rejoin, read, search or download', async () => {
    const roomId = await moderatedRoom('alice', 'mo', 'bob', 'carol');
    const word = `w${crypto.randomUUID().slice(0, 8)}`;
    await h.api('alice', 'POST', `/api/rooms/${roomId}/messages`, { content: `${word} before` });
    const photo = await uploadPhoto('alice', roomId);
    await eventually(async () => {
      expect((await h.api('bob', 'GET', photo.file_url)).status).toBe(200);
      const found = await h.api('bob', 'GET', `/api/search/messages?q=${word}&room_id=${roomId}`);
      expect(found.body.hits).toHaveLength(1);
    });

    const [bob, bobElsewhere, carol] = await Promise.all([
      h.connect('bob'),
      h.connect('bob'),
      h.connect('carol'),
    ]);
    await Promise.all([join(bob, roomId), join(bobElsewhere, roomId), join(carol, roomId)]);

    const leftAt = Promise.all(
      [bob, bobElsewhere].map((socket) =>
        socket
          .nextOfType('room_left', 5_000, (frame) => frame.room_id === roomId)
          .then((frame) => ({ frame, at: Date.now() })),
      ),
    );
    const sawLeave = carol.nextOfType('member_left', 5_000, (frame) => frame.user_id === 'bob');
    const bannedAt = Date.now();
    const banned = await h.api('mo', 'POST', `/api/rooms/${roomId}/bans`, { user_id: 'bob', reason: 'spam' });
    expect(banned).toMatchObject({
      status: 201,
      body: { user_id: 'bob', reason: 'spam', until: null, banned_by: 'mo' },
    });
    for (const { frame, at } of await leftAt) {
      expect(frame).toEqual({ type: 'room_left', room_id: roomId, reason: 'banned' });
      expect(at - bannedAt).toBeLessThan(1_000);
    }
    await sawLeave;

    const after = bob.frames.length;
    const atCarol = carol.nextOfType('message', 5_000, (frame) => frame.content === 'after the ban');
    await h.api('alice', 'POST', `/api/rooms/${roomId}/messages`, { content: 'after the ban' });
    await atCarol;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(bob.frames.slice(after).some((frame) => frame.type === 'message')).toBe(false);

    expect(
      await refusalOf(bob, {
        type: 'send_message',
        room_id: roomId,
        content: 'let me back',
        message_type: 'text',
        client_msg_id: 'b1',
      }),
    ).toMatchObject({ code: 'banned' });
    const rejoin = bob.nextOfType('error', 10_000, (frame) => frame.ref === 'join_room');
    bob.send({ type: 'join_room', room_id: roomId });
    expect(await rejoin).toMatchObject({ code: 'banned' });
    expect(await h.api('bob', 'POST', `/api/rooms/${roomId}/join`)).toMatchObject({
      status: 403,
      body: { code: 'banned' },
    });
    expect((await h.api('bob', 'GET', `/api/rooms/${roomId}/messages`)).status).toBe(403);
    await eventually(async () => {
      expect(await h.api('bob', 'GET', `/api/search/messages?q=${word}&room_id=${roomId}`)).toMatchObject({
        status: 403,
        body: { code: 'banned' },
      });
      expect(await h.api('bob', 'GET', photo.file_url)).toMatchObject({
        status: 403,
        body: { code: 'banned' },
      });
    });
    expect(await h.api('alice', 'POST', `/api/rooms/${roomId}/members`, { user_id: 'bob' })).toMatchObject({
      status: 403,
      body: { code: 'banned' },
    });

    expect(await h.api('mo', 'GET', `/api/rooms/${roomId}/bans`)).toMatchObject({
      status: 200,
      body: { bans: [expect.objectContaining({ user_id: 'bob', reason: 'spam' })] },
    });
    expect((await h.api('carol', 'GET', `/api/rooms/${roomId}/bans`)).status).toBe(403);
    expect(await h.api('mo', 'POST', `/api/rooms/${roomId}/bans`, { user_id: 'alice' })).toMatchObject({
      status: 403,
      body: { code: 'forbidden' },
    });
    expect(await h.api('mo', 'POST', `/api/rooms/${roomId}/bans`, { user_id: 'mo' })).toMatchObject({
      status: 400,
      body: { code: 'invalid_request' },
    });

    expect((await h.api('mo', 'DELETE', `/api/rooms/${roomId}/bans/bob`)).status).toBe(204);
    await join(bob, roomId);
    await sendAndAck(bob, roomId, 'back again');
    for (const socket of [bob, bobElsewhere, carol]) socket.close();
  });

  it('ends a ban at its `until`', async () => {
    const roomId = await moderatedRoom('dora', 'mick', 'eli');
    const until = new Date(Date.now() + 1_500).toISOString();
    expect((await h.api('mick', 'POST', `/api/rooms/${roomId}/bans`, { user_id: 'eli', until })).status).toBe(
      201,
    );
    expect((await h.api('eli', 'POST', `/api/rooms/${roomId}/join`)).status).toBe(403);
    await new Promise((resolve) => setTimeout(resolve, Date.parse(until) - Date.now() + 50));
    expect((await h.api('eli', 'POST', `/api/rooms/${roomId}/join`)).status).toBe(200);
    expect((await h.api('mick', 'GET', `/api/rooms/${roomId}/bans`)).body.bans).toEqual([]);
  });

  it('mutes a member: sending, reacting, sharing and typing answer `muted`; reading goes on; unmuting lifts it', async () => {
    const roomId = await moderatedRoom('fran', 'max', 'gil');
    const [gil, fran] = await Promise.all([h.connect('gil'), h.connect('fran')]);
    await Promise.all([join(gil, roomId), join(fran, roomId)]);
    const { message_id } = await sendAndAck(fran, roomId, 'a message to react to');

    expect(await h.api('max', 'POST', `/api/rooms/${roomId}/mutes`, { user_id: 'gil' })).toMatchObject({
      status: 201,
      body: { user_id: 'gil', until: null },
    });
    // Typing is checked on the gateway's view of `room.access`, which learns of the mute a moment later.
    await eventually(async () => {
      const refused = gil.nextOfType('error', 300, (frame) => frame.ref === 'typing');
      gil.send({ type: 'typing', room_id: roomId, state: 'start' });
      expect(await refused).toMatchObject({ code: 'muted' });
    });
    expect(
      await refusalOf(gil, {
        type: 'send_message',
        room_id: roomId,
        content: 'hello',
        message_type: 'text',
        client_msg_id: 'm1',
      }),
    ).toMatchObject({ code: 'muted' });
    expect(
      await refusalOf(gil, {
        type: 'react',
        room_id: roomId,
        message_id,
        emoji: '👍',
        action: 'add',
        client_msg_id: 'r1',
      }),
    ).toMatchObject({ code: 'muted' });
    const shared = await uploadPhoto('fran', roomId);
    expect(
      await refusalOf(gil, {
        type: 'share_file',
        room_id: roomId,
        file_url: shared.file_url,
        file_name: 'photo.png',
        file_size: PNG.length,
        client_msg_id: 's1',
      }),
    ).toMatchObject({ code: 'muted' });
    expect(
      await h.api('gil', 'POST', `/api/rooms/${roomId}/messages`, { content: 'over REST' }),
    ).toMatchObject({
      status: 403,
      body: { code: 'muted' },
    });

    const atGil = gil.nextOfType('message', 5_000, (frame) => frame.content === 'still readable');
    await sendAndAck(fran, roomId, 'still readable');
    await atGil;
    expect((await h.api('gil', 'GET', `/api/rooms/${roomId}/messages`)).status).toBe(200);

    expect((await h.api('max', 'DELETE', `/api/rooms/${roomId}/mutes/gil`)).status).toBe(204);
    await sendAndAck(gil, roomId, 'unmuted');
    for (const socket of [gil, fran]) socket.close();
  });

  it('flows reports to the room’s moderators, who list and resolve them', async () => {
    const roomId = await moderatedRoom('rita', 'sam', 'tom', 'uma');
    const [sam, rita, tom] = await Promise.all([h.connect('sam'), h.connect('rita'), h.connect('tom')]);
    const posted = await h.api('tom', 'POST', `/api/rooms/${roomId}/messages`, { content: 'something rude' });
    const messageId = posted.body.message_id as string;

    const atSam = sam.nextOfType('report_created', 5_000, (frame) => frame.room_id === roomId);
    const atRita = rita.nextOfType('report_created', 5_000, (frame) => frame.room_id === roomId);
    const reported = await h.api('uma', 'POST', `/api/rooms/${roomId}/messages/${messageId}/reports`, {
      reason: 'rude',
    });
    expect(reported).toMatchObject({
      status: 201,
      body: { room_id: roomId, message_id: messageId, sender_id: 'tom', reporter_id: 'uma', status: 'open' },
    });
    const reportId = reported.body.report_id as string;
    for (const frame of await Promise.all([atSam, atRita])) {
      expect(frame).toMatchObject({
        type: 'report_created',
        report_id: reportId,
        reason: 'rude',
        reporter_id: 'uma',
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(tom.frames.some((frame) => frame.type === 'report_created')).toBe(false);

    expect(
      await h.api('tom', 'POST', `/api/rooms/${roomId}/messages/${messageId}/reports`, { reason: 'mine' }),
    ).toMatchObject({
      status: 400,
      body: { code: 'invalid_request' },
    });
    const listed = await h.api('sam', 'GET', '/api/moderation/reports?status=open');
    expect(listed.body.reports.map((each: { report_id: string }) => each.report_id)).toContain(reportId);
    expect((await h.api('uma', 'GET', `/api/moderation/reports?room_id=${roomId}`)).status).toBe(403);
    expect((await h.api('uma', 'GET', '/api/moderation/reports')).body.reports).toEqual([]);
    expect(
      await h.api('uma', 'POST', `/api/moderation/reports/${reportId}/resolve`, { action: 'dismiss' }),
    ).toMatchObject({
      status: 404,
      body: { code: 'report_not_found' },
    });

    const deleted = tom.nextOfType('message_deleted', 5_000, (frame) => frame.message_id === messageId);
    await join(tom, roomId);
    expect(
      await h.api('sam', 'POST', `/api/moderation/reports/${reportId}/resolve`, { action: 'delete_message' }),
    ).toMatchObject({
      status: 200,
      body: { report_id: reportId, status: 'resolved', action: 'delete_message', resolved_by: 'sam' },
    });
    await deleted;
    expect(
      (await h.api('sam', 'GET', `/api/moderation/reports?room_id=${roomId}&status=open`)).body.reports,
    ).toEqual([]);
    for (const socket of [sam, rita, tom]) socket.close();
  });

  it('suspends a user platform-wide: live sockets close with 4007, authenticating and REST are refused until lifted', async () => {
    const adminToken = await h.token('root', { admin: true });
    const asAdmin = async (method: string, path: string, body?: unknown) => {
      const response = await fetch(`${h.apiUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${adminToken}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : null };
    };
    const [first, second] = await Promise.all([h.connect('vic'), h.connect('vic')]);

    expect(await h.api('walt', 'POST', '/api/admin/users/vic/suspend', { reason: 'abuse' })).toMatchObject({
      status: 403,
      body: { code: 'forbidden' },
    });
    const suspendedAt = Date.now();
    expect(await asAdmin('POST', '/api/admin/users/vic/suspend', { reason: 'abuse' })).toMatchObject({
      status: 200,
      body: { user_id: 'vic', reason: 'abuse', until: null, suspended_by: 'root' },
    });
    expect(await Promise.all([first.waitForClose(), second.waitForClose()])).toEqual([4007, 4007]);
    expect(Date.now() - suspendedAt).toBeLessThan(5_000);

    await eventually(async () =>
      expect(await h.api('vic', 'GET', '/api/rooms')).toMatchObject({
        status: 403,
        body: { code: 'suspended' },
      }),
    );
    await expect(h.connect('vic')).rejects.toThrow(/suspended/);

    expect((await asAdmin('DELETE', '/api/admin/users/vic/suspend')).status).toBe(204);
    await eventually(async () => expect((await h.api('vic', 'GET', '/api/rooms')).status).toBe(200));
    const again = await h.connect('vic');
    again.close();
  });
});

scenario('moderation: the content filter', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ CHAT_MODERATION__BLOCKED_TERMS: 'spam,/cl[i1]ck\\s*here/' });
  });
  afterAll(() => h.stop());

  it('refuses blocked messages, edits, room names and file names, however disguised; a room adds its own terms', async () => {
    expect(await h.api('hana', 'POST', '/api/rooms', { name: 'ѕpam lovers', private: false })).toMatchObject({
      status: 422,
      body: { code: 'content_blocked' },
    });
    const created = await h.api('hana', 'POST', '/api/rooms', {
      name: 'filtered',
      private: false,
      members: ['ivan'],
    });
    const roomId = created.body.room_id as string;

    const ivan = await h.connect('ivan');
    await join(ivan, roomId);
    for (const [content, ref] of [
      ['s\u200Bp\u202Eam', 'c1'],
      ['ＳＰＡＭ!', 'c2'],
      ['please CL1CK  here', 'c3'],
    ]) {
      expect(
        await refusalOf(ivan, {
          type: 'send_message',
          room_id: roomId,
          content,
          message_type: 'text',
          client_msg_id: ref!,
        }),
      ).toMatchObject({ code: 'content_blocked' });
    }
    const { message_id } = await sendAndAck(ivan, roomId, 'spammers fear antispam tools');
    expect(message_id).toBeDefined();
    const fine = await h.api('ivan', 'POST', `/api/rooms/${roomId}/messages`, { content: 'all fine' });
    expect(fine.status).toBe(201);
    expect(
      await h.api('ivan', 'PATCH', `/api/rooms/${roomId}/messages/${fine.body.message_id}`, {
        content: 'now spam',
      }),
    ).toMatchObject({ status: 422, body: { code: 'content_blocked' } });
    expect(
      await h.api('ivan', 'POST', '/api/media/uploads', {
        room_id: roomId,
        file_name: 'spam.png',
        content_type: 'image/png',
        size: 10,
      }),
    ).toMatchObject({ status: 422, body: { code: 'content_blocked' } });

    const filter = { content_filter: { blocked_terms: ['pineapple'], block_links: true } };
    expect((await h.api('ivan', 'PUT', `/api/rooms/${roomId}`, filter)).status).toBe(403);
    expect((await h.api('hana', 'PUT', `/api/rooms/${roomId}`, filter)).status).toBe(200);
    expect(await h.api('ivan', 'GET', `/api/rooms/${roomId}/content-filter`)).toMatchObject({
      status: 200,
      body: filter.content_filter,
    });
    for (const content of ['Pineapple pizza', 'see www.example.com'])
      expect(await h.api('ivan', 'POST', `/api/rooms/${roomId}/messages`, { content })).toMatchObject({
        status: 422,
        body: { code: 'content_blocked' },
      });
    ivan.close();
  });
});

import { eventually } from '@chat/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { join, type Harness } from '../harness';
import { scenario, startHarness } from '../target';

scenario('editing and deleting messages', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.stop());

  const roomWith = async (owner: string, members: string[], isPrivate = false) => {
    const created = await h.api(owner, 'POST', '/api/rooms', { name: 'edits', private: isPrivate, members });
    expect(created.status).toBe(201);
    return created.body.room_id as string;
  };
  const post = async (user: string, roomId: string, content: string) => {
    const posted = await h.api(user, 'POST', `/api/rooms/${roomId}/messages`, { content });
    expect(posted.status).toBe(201);
    return posted.body as { message_id: string; seq: number };
  };
  const messagePath = (roomId: string, messageId: string) => `/api/rooms/${roomId}/messages/${messageId}`;

  it('lets the sender edit: members see message_edited, history the new content with edited_at', async () => {
    const roomId = await roomWith('erin', ['finn']);
    const { message_id, seq } = await post('erin', roomId, 'teh first draft');
    const finn = await h.connect('finn');
    await join(finn, roomId);
    const seen = finn.nextOfType('message_edited', 10_000);

    const edited = await h.api('erin', 'PATCH', messagePath(roomId, message_id), {
      content: 'the first draft',
    });
    expect(edited).toMatchObject({
      status: 200,
      body: { room_id: roomId, message_id, seq, content: 'the first draft' },
    });
    expect(await seen).toEqual({
      type: 'message_edited',
      room_id: roomId,
      message_id,
      seq,
      content: 'the first draft',
      edited_at: edited.body.edited_at,
    });
    const history = await h.api('finn', 'GET', `/api/rooms/${roomId}/messages`);
    expect(history.body.messages).toEqual([
      expect.objectContaining({ seq, content: 'the first draft', edited_at: edited.body.edited_at }),
    ]);
    finn.close();
  });

  it('refuses edits by anyone but the sender, of unknown messages, and of empty content', async () => {
    const roomId = await roomWith('gina', ['hank']);
    const { message_id } = await post('gina', roomId, 'mine');
    const edit = (user: string, id: string, content: string) =>
      h.api(user, 'PATCH', messagePath(roomId, id), { content });
    expect(await edit('hank', message_id, 'yours?')).toMatchObject({
      status: 403,
      body: { code: 'forbidden' },
    });
    expect(await edit('gina', 'msg_missing', 'x')).toMatchObject({
      status: 404,
      body: { code: 'message_not_found' },
    });
    expect(await edit('gina', message_id, '  ')).toMatchObject({
      status: 400,
      body: { code: 'content_empty' },
    });
    expect(await edit('mallory', message_id, 'x')).toMatchObject({
      status: 403,
      body: { code: 'not_member' },
    });
  });

  it('deletes by sender or owner: members see message_deleted, history keeps a gap-free tombstone', async () => {
    const roomId = await roomWith('ivy', ['jack', 'kim']);
    const first = await post('jack', roomId, 'oops, wrong room');
    const second = await post('kim', roomId, 'spam spam spam');
    await post('ivy', roomId, 'third');
    const kim = await h.connect('kim');
    await join(kim, roomId);
    const seen = kim.nextOfType('message_deleted', 10_000);

    expect((await h.api('kim', 'DELETE', messagePath(roomId, first.message_id))).status).toBe(403);
    expect((await h.api('jack', 'DELETE', messagePath(roomId, first.message_id))).status).toBe(204);
    expect(await seen).toEqual({
      type: 'message_deleted',
      room_id: roomId,
      message_id: first.message_id,
      seq: first.seq,
    });
    expect((await h.api('ivy', 'DELETE', messagePath(roomId, second.message_id))).status).toBe(204);
    expect((await h.api('ivy', 'DELETE', messagePath(roomId, second.message_id))).status).toBe(204);
    expect(
      await h.api('jack', 'PATCH', messagePath(roomId, first.message_id), { content: 'undo' }),
    ).toMatchObject({ status: 410, body: { code: 'message_deleted' } });

    const history = await h.api('kim', 'GET', `/api/rooms/${roomId}/messages`);
    const messages = history.body.messages as { seq: number; content: string; deleted_at?: string }[];
    expect(messages.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(messages.map((m) => m.content)).toEqual(['', '', 'third']);
    expect(messages.map((m) => typeof m.deleted_at)).toEqual(['string', 'string', 'undefined']);
    kim.close();
  });

  it('resumes a client with the messages as they now read', async () => {
    const roomId = await roomWith('lena', ['max']);
    await post('lena', roomId, 'one');
    const two = await post('lena', roomId, 'two');
    const three = await post('lena', roomId, 'three');
    await h.api('lena', 'PATCH', messagePath(roomId, two.message_id), { content: 'two, edited' });
    await h.api('lena', 'DELETE', messagePath(roomId, three.message_id));
    const max = await h.connect('max');
    await join(max, roomId, 1);
    await eventually(() =>
      expect(max.ofType('message').map(({ seq, content }) => [seq, content])).toEqual([
        [2, 'two, edited'],
        [3, ''],
      ]),
    );
    max.close();
  });
});

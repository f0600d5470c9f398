import { eventually } from '@chat/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { join, messagesIn, type Harness } from '../harness';
import { scenario, startHarness } from '../target';

scenario('threads', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.stop());

  const roomWith = async (owner: string, members: string[], isPrivate = true) => {
    const created = await h.api(owner, 'POST', '/api/rooms', {
      name: 'threads',
      private: isPrivate,
      members,
    });
    expect(created.status).toBe(201);
    return created.body.room_id as string;
  };
  const post = async (user: string, roomId: string, content: string, threadId?: string) => {
    const body = threadId === undefined ? { content } : { content, thread_id: threadId };
    const posted = await h.api(user, 'POST', `/api/rooms/${roomId}/messages`, body);
    expect(posted.status).toBe(201);
    return posted.body as { message_id: string; seq: number; created_at: string; thread_id?: string };
  };
  const threadPath = (roomId: string, rootId: string, query = '') =>
    `/api/rooms/${roomId}/threads/${rootId}/messages${query}`;
  const replySeqs = async (user: string, roomId: string, rootId: string, query = '') => {
    const page = await h.api(user, 'GET', threadPath(roomId, rootId, query));
    expect(page.status).toBe(200);
    return {
      seqs: (page.body.messages as { seq: number }[]).map((m) => m.seq),
      has_more: page.body.has_more,
    };
  };

  it('takes replies over WebSocket and REST as room messages: seqs gap-free, thread_id on frames, ack and history', async () => {
    const roomId = await roomWith('tara', ['uma', 'vic']);
    const root = await post('tara', roomId, 'shall we ship on friday?');
    const uma = await h.connect('uma');
    const vic = await h.connect('vic');
    await join(uma, roomId);
    await join(vic, roomId);

    const ack = uma.nextOfType('ack', 10_000, (frame) => frame.client_msg_id === 'reply-1');
    uma.send({
      type: 'send_message',
      room_id: roomId,
      content: 'yes, friday',
      client_msg_id: 'reply-1',
      thread_id: root.message_id,
    });
    expect(await ack).toMatchObject({ room_id: roomId, seq: 2, thread_id: root.message_id });
    const byRest = await post('vic', roomId, 'friday works', root.message_id);
    expect(byRest).toMatchObject({ seq: 3, thread_id: root.message_id });
    await post('tara', roomId, 'unrelated');

    await eventually(() =>
      expect(messagesIn(vic, roomId).map(({ seq, thread_id }) => [seq, thread_id])).toEqual([
        [2, root.message_id],
        [3, root.message_id],
        [4, undefined],
      ]),
    );
    const updates = vic.ofType('thread_updated').filter((frame) => frame.room_id === roomId);
    expect(updates.map(({ message_id, seq, reply_count }) => [message_id, seq, reply_count])).toEqual([
      [root.message_id, 1, 1],
      [root.message_id, 1, 2],
    ]);
    expect(updates.at(-1)).toMatchObject({ last_reply_at: byRest.created_at, participants: ['uma', 'vic'] });

    const history = await h.api('vic', 'GET', `/api/rooms/${roomId}/messages`);
    const messages = history.body.messages as { seq: number; thread_id?: string; thread?: unknown }[];
    expect(messages.map((m) => m.seq)).toEqual([1, 2, 3, 4]);
    expect(messages[0]!.thread).toEqual({
      reply_count: 2,
      last_reply_at: byRest.created_at,
      participants: ['uma', 'vic'],
    });
    expect(messages.map((m) => m.thread_id)).toEqual([
      undefined,
      root.message_id,
      root.message_id,
      undefined,
    ]);
    uma.close();
    vic.close();
  });

  it('attaches a reply to a reply to the same root, and pages a thread’s replies by seq', async () => {
    const roomId = await roomWith('wes', ['xena']);
    const root = await post('wes', roomId, 'root');
    const first = await post('xena', roomId, 'reply 1', root.message_id);
    await post('wes', roomId, 'elsewhere');
    const second = await post('wes', roomId, 'reply to reply', first.message_id);
    expect(second.thread_id).toBe(root.message_id);
    await post('xena', roomId, 'reply 3', root.message_id);

    expect(await replySeqs('xena', roomId, root.message_id)).toEqual({ seqs: [2, 4, 5], has_more: false });
    expect(await replySeqs('xena', roomId, root.message_id, '?limit=2')).toEqual({
      seqs: [4, 5],
      has_more: true,
    });
    expect(await replySeqs('xena', roomId, root.message_id, '?limit=2&before_seq=4')).toEqual({
      seqs: [2],
      has_more: false,
    });
    expect(await replySeqs('xena', roomId, root.message_id, '?limit=1&after_seq=2')).toEqual({
      seqs: [4],
      has_more: true,
    });
    expect(await replySeqs('xena', roomId, first.message_id)).toEqual({ seqs: [], has_more: false });
  });

  it('drops a deleted reply from its root’s count, for members live and in history', async () => {
    const roomId = await roomWith('yara', ['zack']);
    const root = await post('yara', roomId, 'root');
    await post('zack', roomId, 'keep', root.message_id);
    const doomed = await post('zack', roomId, 'oops', root.message_id);
    const yara = await h.connect('yara');
    await join(yara, roomId);
    const update = yara.nextOfType('thread_updated', 10_000, (frame) => frame.room_id === roomId);
    const deleted = await h.api('zack', 'DELETE', `/api/rooms/${roomId}/messages/${doomed.message_id}`);
    expect(deleted.status).toBe(204);
    expect(await update).toMatchObject({
      message_id: root.message_id,
      reply_count: 1,
      participants: ['zack'],
    });
    const history = await h.api('yara', 'GET', `/api/rooms/${roomId}/messages?limit=1&after_seq=0`);
    expect(history.body.messages[0].thread).toMatchObject({ reply_count: 1 });
    yara.close();
  });

  it('refuses a thread_id that is not a message of the room, or is deleted, with message_not_found', async () => {
    const roomId = await roomWith('abe', ['bea']);
    const other = await roomWith('abe', []);
    const foreign = await post('abe', other, 'in another room');
    const gone = await post('abe', roomId, 'to be deleted');
    expect((await h.api('abe', 'DELETE', `/api/rooms/${roomId}/messages/${gone.message_id}`)).status).toBe(
      204,
    );
    for (const threadId of ['msg_missing', foreign.message_id, gone.message_id]) {
      expect(
        await h.api('bea', 'POST', `/api/rooms/${roomId}/messages`, { content: 'hi', thread_id: threadId }),
      ).toMatchObject({ status: 404, body: { code: 'message_not_found' } });
    }
    const bea = await h.connect('bea');
    const refused = bea.nextOfType('error', 10_000, (frame) => frame.ref === 'bad-thread');
    bea.send({
      type: 'send_message',
      room_id: roomId,
      content: 'hi',
      client_msg_id: 'bad-thread',
      thread_id: foreign.message_id,
    });
    expect(await refused).toMatchObject({ code: 'message_not_found' });
    bea.close();
  });

  it('shows a thread to members only', async () => {
    const roomId = await roomWith('cal', ['dee']);
    const root = await post('cal', roomId, 'private root');
    await post('dee', roomId, 'private reply', root.message_id);
    expect(await h.api('mallory', 'GET', threadPath(roomId, root.message_id))).toMatchObject({
      status: 404,
      body: { code: 'room_not_found' },
    });
    const open = await roomWith('cal', [], false);
    const openRoot = await post('cal', open, 'public root');
    expect(await h.api('mallory', 'GET', threadPath(open, openRoot.message_id))).toMatchObject({
      status: 403,
      body: { code: 'not_member' },
    });
    expect(await h.api(null, 'GET', threadPath(roomId, root.message_id))).toMatchObject({ status: 401 });
  });

  it('lets members find a reply in search, and no one else', async () => {
    const word = `w${crypto.randomUUID().slice(0, 8)}`;
    const roomId = await roomWith('eve', ['fay']);
    const root = await post('eve', roomId, 'root');
    const reply = await post('fay', roomId, `the ${word} is in a thread`, root.message_id);
    const search = (user: string) => h.api(user, 'GET', `/api/search/messages?q=${word}`);
    await eventually(async () =>
      expect((await search('eve')).body.hits).toEqual([
        expect.objectContaining({
          room_id: roomId,
          message_id: reply.message_id,
          seq: reply.seq,
          thread_id: root.message_id,
        }),
      ]),
    );
    expect((await search('mallory')).body.hits).toEqual([]);
  });
});

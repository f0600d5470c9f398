import { ChatClient, type ChatEvents } from '@chat/client';
import type { TestSocket } from '@chat/testkit';
import { eventually } from '@chat/testkit';
import WebSocket from 'ws';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { join, type Harness } from '../harness';
import { scenario, startHarness } from '../target';

const reactionPath = (roomId: string, messageId: string, emoji: string) =>
  `/api/rooms/${roomId}/messages/${messageId}/reactions/${encodeURIComponent(emoji)}`;

/** Sends `react` and waits for its answer: `reaction_ack`, or the `error` naming it. */
const react = async (
  socket: TestSocket,
  frame: { room_id: string; message_id: string; emoji: string; action: 'add' | 'remove' },
) => {
  const ref = crypto.randomUUID();
  const answer = socket.next(
    (each) =>
      (each.type === 'reaction_ack' && each.client_msg_id === ref) ||
      (each.type === 'error' && each.ref === ref),
    10_000,
    socket.frames.length,
  );
  socket.send({ type: 'react', ...frame, client_msg_id: ref });
  return answer;
};

scenario('reactions', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.stop());

  const roomWith = async (owner: string, members: string[], isPrivate = false) => {
    const created = await h.api(owner, 'POST', '/api/rooms', {
      name: 'reactions',
      private: isPrivate,
      members,
    });
    expect(created.status).toBe(201);
    return created.body.room_id as string;
  };
  const post = async (user: string, roomId: string, content: string) => {
    const posted = await h.api(user, 'POST', `/api/rooms/${roomId}/messages`, { content });
    expect(posted.status).toBe(201);
    return posted.body as { message_id: string; seq: number };
  };
  const historyOf = async (user: string, roomId: string) => {
    const history = await h.api(user, 'GET', `/api/rooms/${roomId}/messages`);
    expect(history.status).toBe(200);
    return history.body.messages as { seq: number; reactions: unknown[] }[];
  };

  it('tells members who reacted with what and how many, over the socket and REST alike', async () => {
    const roomId = await roomWith('ana', ['ben', 'cid']);
    const { message_id, seq } = await post('ana', roomId, 'lunch?');
    const [ben, cid] = [await h.connect('ben'), await h.connect('cid')];
    await join(ben, roomId);
    await join(cid, roomId);

    const seenFirst = cid.nextOfType('reaction', 10_000, (frame) => frame.user_id === 'ben');
    expect(await react(ben, { room_id: roomId, message_id, emoji: '👍', action: 'add' })).toMatchObject({
      type: 'reaction_ack',
      room_id: roomId,
      message_id,
      emoji: '👍',
      action: 'add',
      count: 1,
    });
    expect(await seenFirst).toEqual({
      type: 'reaction',
      room_id: roomId,
      message_id,
      seq,
      user_id: 'ben',
      emoji: '👍',
      action: 'add',
      count: 1,
    });

    const seenSecond = ben.nextOfType('reaction', 10_000, (frame) => frame.user_id === 'cid');
    const put = await h.api('cid', 'PUT', reactionPath(roomId, message_id, '👍'));
    expect(put).toMatchObject({ status: 200, body: { emoji: '👍', action: 'add', count: 2, changed: true } });
    expect(await seenSecond).toMatchObject({ user_id: 'cid', emoji: '👍', action: 'add', count: 2 });
    expect(await h.api('cid', 'PUT', reactionPath(roomId, message_id, ':tada:'))).toMatchObject({
      status: 200,
      body: { emoji: ':tada:', count: 1 },
    });

    const [message] = await historyOf('ben', roomId);
    expect(message!.reactions).toEqual([
      { emoji: '👍', count: 2, me: true },
      { emoji: ':tada:', count: 1, me: false },
    ]);
    expect((await historyOf('ana', roomId))[0]!.reactions).toEqual([
      { emoji: '👍', count: 2, me: false },
      { emoji: ':tada:', count: 1, me: false },
    ]);

    const seenRemoval = ben.nextOfType('reaction', 10_000, (frame) => frame.action === 'remove');
    expect(await h.api('cid', 'DELETE', reactionPath(roomId, message_id, '👍'))).toMatchObject({
      status: 200,
      body: { action: 'remove', count: 1, changed: true },
    });
    expect(await seenRemoval).toMatchObject({ user_id: 'cid', emoji: '👍', action: 'remove', count: 1 });
    expect((await historyOf('cid', roomId))[0]!.reactions).toEqual([
      { emoji: '👍', count: 1, me: false },
      { emoji: ':tada:', count: 1, me: true },
    ]);
    ben.close();
    cid.close();
  });

  it('counts a double add once and takes a removal of nothing as a no-op, sending no frame', async () => {
    const roomId = await roomWith('dee', ['eli']);
    const { message_id } = await post('dee', roomId, 'hi');
    const eli = await h.connect('eli');
    await join(eli, roomId);
    const frame = { room_id: roomId, message_id, emoji: '👨‍👩‍👧', action: 'add' as const };
    expect(await react(eli, frame)).toMatchObject({ type: 'reaction_ack', count: 1 });
    expect(await react(eli, frame)).toMatchObject({ type: 'reaction_ack', count: 1 });
    expect(await h.api('eli', 'PUT', reactionPath(roomId, message_id, '👨‍👩‍👧'))).toMatchObject({
      status: 200,
      body: { count: 1, changed: false },
    });
    expect(await react(eli, { ...frame, emoji: '🇫🇷', action: 'remove' })).toMatchObject({
      type: 'reaction_ack',
      action: 'remove',
      count: 0,
    });
    expect(await h.api('dee', 'DELETE', reactionPath(roomId, message_id, '👋🏽'))).toMatchObject({
      status: 200,
      body: { count: 0, changed: false },
    });
    // A marker after the no-ops: every reaction frame before it is all they caused.
    const marker = eli.nextOfType('reaction', 10_000, (each) => each.emoji === ':marker:');
    await h.api('dee', 'PUT', reactionPath(roomId, message_id, ':marker:'));
    await marker;
    expect(eli.ofType('reaction').map(({ emoji, action, count }) => [emoji, action, count])).toEqual([
      ['👨‍👩‍👧', 'add', 1],
      [':marker:', 'add', 1],
    ]);
    expect((await historyOf('eli', roomId))[0]!.reactions).toEqual([
      { emoji: '👨‍👩‍👧', count: 1, me: true },
      { emoji: ':marker:', count: 1, me: false },
    ]);
    eli.close();
  });

  it('refuses what is not one emoji, and a 21st emoji of one user on one message', async () => {
    const roomId = await roomWith('fay', []);
    const { message_id } = await post('fay', roomId, 'react to me');
    const fay = await h.connect('fay');
    for (const emoji of ['ab', '👍👎', `:${'x'.repeat(65)}:`]) {
      expect(await react(fay, { room_id: roomId, message_id, emoji, action: 'add' })).toMatchObject({
        type: 'error',
        code: 'invalid_emoji',
      });
    }
    expect(await h.api('fay', 'PUT', reactionPath(roomId, message_id, 'ab'))).toMatchObject({
      status: 400,
      body: { code: 'invalid_emoji' },
    });
    for (let index = 0; index < 20; index++) {
      const put = await h.api('fay', 'PUT', reactionPath(roomId, message_id, `:e${index}:`));
      expect(put.status).toBe(200);
    }
    expect(await react(fay, { room_id: roomId, message_id, emoji: '👍', action: 'add' })).toMatchObject({
      type: 'error',
      code: 'too_many_reactions',
    });
    expect(await h.api('fay', 'PUT', reactionPath(roomId, message_id, '👍'))).toMatchObject({
      status: 400,
      body: { code: 'too_many_reactions' },
    });
    fay.close();
  });

  it('refuses outsiders without revealing private rooms, and unknown, foreign or deleted messages', async () => {
    const open = await roomWith('gus', ['hal']);
    const secret = await roomWith('gus', ['hal'], true);
    const other = await roomWith('gus', ['hal']);
    const inOpen = await post('gus', open, 'public words');
    const inSecret = await post('gus', secret, 'secret words');
    const inOther = await post('gus', other, 'elsewhere');
    const mallory = await h.connect('mallory');
    const hal = await h.connect('hal');
    const add = (roomId: string, messageId: string) => ({
      room_id: roomId,
      message_id: messageId,
      emoji: '👍',
      action: 'add' as const,
    });

    expect(await react(mallory, add(open, inOpen.message_id))).toMatchObject({ code: 'not_member' });
    expect(await h.api('mallory', 'PUT', reactionPath(open, inOpen.message_id, '👍'))).toMatchObject({
      status: 403,
      body: { code: 'not_member' },
    });
    expect(await react(mallory, add(secret, inSecret.message_id))).toMatchObject({ code: 'room_not_found' });
    expect(await h.api('mallory', 'PUT', reactionPath(secret, inSecret.message_id, '👍'))).toMatchObject({
      status: 404,
      body: { code: 'room_not_found' },
    });

    expect(await react(hal, add(open, 'msg_missing'))).toMatchObject({ code: 'message_not_found' });
    expect(await react(hal, add(open, inOther.message_id))).toMatchObject({ code: 'message_not_found' });
    expect(await h.api('hal', 'PUT', reactionPath(open, inOther.message_id, '👍'))).toMatchObject({
      status: 404,
      body: { code: 'message_not_found' },
    });
    mallory.close();
    hal.close();
  });

  it('drops a deleted message’s reactions from history and refuses new ones', async () => {
    const roomId = await roomWith('ida', ['jon']);
    const first = await post('ida', roomId, 'keep');
    const second = await post('ida', roomId, 'regret');
    for (const { message_id } of [first, second]) {
      expect((await h.api('jon', 'PUT', reactionPath(roomId, message_id, '🔥'))).status).toBe(200);
    }
    expect((await h.api('ida', 'DELETE', `/api/rooms/${roomId}/messages/${second.message_id}`)).status).toBe(
      204,
    );
    await eventually(async () =>
      expect((await historyOf('jon', roomId)).map(({ seq, reactions }) => [seq, reactions])).toEqual([
        [first.seq, [{ emoji: '🔥', count: 1, me: true }]],
        [second.seq, []],
      ]),
    );
    expect(await h.api('jon', 'PUT', reactionPath(roomId, second.message_id, '🔥'))).toMatchObject({
      status: 404,
      body: { code: 'message_not_found' },
    });
  });

  it('resumes a client with each message’s reactions as the client sees them', async () => {
    const roomId = await roomWith('kay', ['leo']);
    const { message_id } = await post('kay', roomId, 'resume me');
    await h.api('leo', 'PUT', reactionPath(roomId, message_id, '👏'));
    await h.api('kay', 'PUT', reactionPath(roomId, message_id, '👏'));
    const leo = await h.connect('leo');
    await join(leo, roomId, 0);
    await eventually(() =>
      expect(leo.ofType('message').map(({ seq, reactions }) => [seq, reactions])).toEqual([
        [1, [{ emoji: '👏', count: 2, me: true }]],
      ]),
    );
    leo.close();
  });

  it('lets the SDK react and unreact, and tells its app of reactions in joined rooms', async () => {
    const roomId = await roomWith('mae', ['ned']);
    const { message_id } = await post('mae', roomId, 'sdk');
    const clientOf = (userId: string) =>
      new ChatClient({ url: h.wsUrl, token: () => h.token(userId), WebSocket });
    const [mae, ned] = [clientOf('mae'), clientOf('ned')];
    await Promise.all([mae.connect(), ned.connect()]);
    await ned.join(roomId);
    const seen: ChatEvents['reaction'][] = [];
    ned.on('reaction', (reaction) => seen.push(reaction));

    expect(await mae.react(roomId, message_id, '🎉')).toMatchObject({ emoji: '🎉', action: 'add', count: 1 });
    expect(await ned.react(roomId, message_id, '🎉')).toMatchObject({ count: 2 });
    expect(await mae.unreact(roomId, message_id, '🎉')).toMatchObject({ action: 'remove', count: 1 });
    await expect(mae.react(roomId, message_id, 'ab')).rejects.toMatchObject({ code: 'invalid_emoji' });
    await eventually(() =>
      expect(seen.map(({ user_id, action, count }) => [user_id, action, count])).toEqual([
        ['mae', 'add', 1],
        ['ned', 'add', 2],
        ['mae', 'remove', 1],
      ]),
    );
    mae.close();
    ned.close();
  });
});

scenario('reactions switched off', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ ENABLE_MESSAGE_REACTIONS: 'false' });
  });
  afterAll(() => h.stop());

  it('answers react and the REST routes with feature_disabled', async () => {
    const mia = await h.connect('mia');
    expect(
      await react(mia, { room_id: 'general', message_id: 'msg_any', emoji: '👍', action: 'add' }),
    ).toMatchObject({ type: 'error', code: 'feature_disabled' });
    for (const method of ['PUT', 'DELETE']) {
      expect(await h.api('mia', method, reactionPath('general', 'msg_any', '👍'))).toMatchObject({
        status: 403,
        body: { code: 'feature_disabled' },
      });
    }
    mia.close();
  });
});

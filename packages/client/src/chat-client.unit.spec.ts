import type { ChatMessage, ServerFrameOf } from './wire';
import { describe, expect, it, vi } from 'vitest';
import { ChatError } from './chat-error';
import { clientOnFakeSocket, settle } from './testing/client-on-fake-socket';

const message = (seq: number, roomId = 'general'): ServerFrameOf<'message'> => ({
  type: 'message',
  room_id: roomId,
  message_id: `m${seq}`,
  seq,
  sender_id: 'bob',
  content: `message ${seq}`,
  message_type: 'text',
  created_at: '2025-01-01T00:00:00.000Z',
  client_msg_id: null,
});

const ack = (clientMsgId: string, seq: number): ServerFrameOf<'ack'> => ({
  type: 'ack',
  client_msg_id: clientMsgId,
  message_id: `m${seq}`,
  room_id: 'general',
  seq,
  created_at: '2025-01-01T00:00:00.000Z',
});

describe('ChatClient', () => {
  const sdk = clientOnFakeSocket();
  const delivered = () => {
    const seen: ChatMessage[] = [];
    sdk.client.on('message', (m) => seen.push(m));
    return seen;
  };

  it('authenticates with a fresh token on every connection and reports its states', async () => {
    let issued = 0;
    const states: string[] = [];
    sdk.start({ token: async () => `token-${++issued}` });
    sdk.client.on('state', (state) => states.push(state));
    const opened = sdk.client.connect();
    await settle();
    sdk.ws.latest().authenticate('alice');
    await opened;
    expect(sdk.ws.latest().sent[0]).toEqual({ type: 'authenticate', token: 'token-1' });
    expect(sdk.client.userId).toBe('alice');

    sdk.ws.latest().drop();
    await vi.advanceTimersByTimeAsync(100);
    sdk.ws.latest().authenticate();
    expect(sdk.ws.sockets).toHaveLength(2);
    expect(sdk.ws.latest().sent[0]).toEqual({ type: 'authenticate', token: 'token-2' });
    expect(states).toEqual(['connecting', 'open', 'reconnecting', 'open']);
  });

  it('backs off exponentially while connections keep failing, and starts over once one opens', async () => {
    sdk
      .start()
      .connect()
      .catch(() => undefined);
    await settle();
    for (const delay of [100, 200, 400]) {
      const before = sdk.ws.sockets.length;
      sdk.ws.latest().drop();
      await vi.advanceTimersByTimeAsync(delay - 1);
      expect(sdk.ws.sockets).toHaveLength(before);
      await vi.advanceTimersByTimeAsync(1);
      expect(sdk.ws.sockets).toHaveLength(before + 1);
    }
    sdk.ws.latest().authenticate();
    sdk.ws.latest().drop();
    await vi.advanceTimersByTimeAsync(100);
    expect(sdk.ws.sockets).toHaveLength(5);
  });

  it('resumes a joined room from the last delivered seq, in order and without duplicates', async () => {
    await sdk.connected();
    const seen = delivered();
    const joined = sdk.client.join('general');
    expect(sdk.ws.latest().sentOfType('join_room')).toEqual([{ type: 'join_room', room_id: 'general' }]);
    sdk.ws.latest().deliver({ type: 'room_joined', room_id: 'general', last_seq: 3 });
    await expect(joined).resolves.toEqual({ last_seq: 3 });
    for (const seq of [5, 4, 4]) sdk.ws.latest().deliver(message(seq));

    sdk.ws.latest().drop();
    await vi.advanceTimersByTimeAsync(100);
    sdk.ws.latest().authenticate();
    expect(sdk.ws.latest().sentOfType('join_room')).toEqual([
      { type: 'join_room', room_id: 'general', last_seq: 5 },
    ]);
    sdk.ws.latest().deliver({ type: 'room_joined', room_id: 'general', last_seq: 7 });
    for (const seq of [5, 6, 7]) sdk.ws.latest().deliver(message(seq));
    expect(seen.map((m) => m.seq)).toEqual([4, 5, 6, 7]);
    expect(seen[0]).not.toHaveProperty('type');
  });

  it('joins rooms one at a time, since a refusal does not name its room', async () => {
    await sdk.connected();
    const general = sdk.client.join('general');
    const secret = sdk.client.join('secret');
    const other = sdk.client.join('other');
    expect(
      sdk.ws
        .latest()
        .sentOfType('join_room')
        .map((f) => f.room_id),
    ).toEqual(['general']);
    sdk.ws.latest().deliver({ type: 'room_joined', room_id: 'general', last_seq: 0 });
    sdk.ws.latest().deliver({
      type: 'error',
      code: 'room_not_found',
      message: 'No such room.',
      ref: 'join_room',
    });
    sdk.ws.latest().deliver({ type: 'room_joined', room_id: 'other', last_seq: 0 });
    await expect(general).resolves.toEqual({ last_seq: 0 });
    await expect(secret).rejects.toMatchObject({ code: 'room_not_found', roomId: 'secret' });
    await expect(other).resolves.toEqual({ last_seq: 0 });
    expect(
      sdk.ws
        .latest()
        .sentOfType('join_room')
        .map((f) => f.room_id),
    ).toEqual(['general', 'secret', 'other']);

    sdk.ws.latest().drop();
    await vi.advanceTimersByTimeAsync(100);
    sdk.ws.latest().authenticate();
    sdk.ws.latest().deliver({ type: 'room_joined', room_id: 'general', last_seq: 0 });
    expect(
      sdk.ws
        .latest()
        .sentOfType('join_room')
        .map((f) => f.room_id),
    ).toEqual(['general', 'other']);
  });

  it('retries a join refused for a passing reason', async () => {
    await sdk.connected();
    const joined = sdk.client.join('general');
    sdk.ws.latest().deliver({ type: 'error', code: 'timeout', message: 'Try again.', ref: 'join_room' });
    await vi.advanceTimersByTimeAsync(100);
    expect(sdk.ws.latest().sentOfType('join_room')).toHaveLength(2);
    sdk.ws.latest().deliver({ type: 'room_joined', room_id: 'general', last_seq: 2 });
    await expect(joined).resolves.toEqual({ last_seq: 2 });
  });

  it('leaves a room and stops delivering and re-joining it', async () => {
    await sdk.connected();
    const seen = delivered();
    const joined = sdk.client.join('general');
    sdk.ws.latest().deliver({ type: 'room_joined', room_id: 'general', last_seq: 0 });
    await joined;
    const left = sdk.client.leave('general');
    expect(sdk.ws.latest().sentOfType('leave_room')).toEqual([{ type: 'leave_room', room_id: 'general' }]);
    sdk.ws.latest().deliver({ type: 'room_left', room_id: 'general' });
    await left;
    sdk.ws.latest().deliver(message(1));
    sdk.ws.latest().drop();
    await vi.advanceTimersByTimeAsync(100);
    sdk.ws.latest().authenticate();
    expect(sdk.ws.latest().sentOfType('join_room')).toEqual([]);
    expect(seen).toEqual([]);
  });

  it('queues a send made while offline, writes it once connected, and resolves it once', async () => {
    sdk.start();
    const sent = sdk.client.send('general', 'hello');
    expect(sdk.ws.sockets).toHaveLength(0);
    const opened = sdk.client.connect();
    await settle();
    sdk.ws.latest().authenticate();
    await opened;
    const [frame] = sdk.ws.latest().sentOfType('send_message');
    expect(frame).toMatchObject({ room_id: 'general', content: 'hello', message_type: 'text' });
    sdk.ws.latest().deliver(ack(frame!.client_msg_id!, 9));
    sdk.ws.latest().deliver(ack(frame!.client_msg_id!, 9));
    await expect(sent).resolves.toMatchObject({ seq: 9, client_msg_id: frame!.client_msg_id });
  });

  it('replies in a thread with its root’s id, and tells thread summaries as they change', async () => {
    await sdk.connected();
    const updates: unknown[] = [];
    sdk.client.on('thread_updated', (update) => updates.push(update));
    const replied = sdk.client.reply('general', 'm1', 'a reply');
    const [frame] = sdk.ws.latest().sentOfType('send_message');
    expect(frame).toMatchObject({ room_id: 'general', content: 'a reply', thread_id: 'm1' });
    sdk.ws.latest().deliver({ ...ack(frame!.client_msg_id!, 2), thread_id: 'm1' });
    await expect(replied).resolves.toMatchObject({ seq: 2, thread_id: 'm1' });
    const summary = { reply_count: 1, last_reply_at: '2025-01-01T00:00:00.000Z', participants: ['alice'] };
    sdk.ws
      .latest()
      .deliver({ type: 'thread_updated', room_id: 'general', message_id: 'm1', seq: 1, ...summary });
    expect(updates).toEqual([{ room_id: 'general', message_id: 'm1', seq: 1, ...summary }]);
  });

  it('writes an unacknowledged send again, with the same client_msg_id, on ack timeout and after a reconnect', async () => {
    await sdk.connected({ ackTimeoutMs: 1_000 });
    const sent = sdk.client.send('general', 'hello');
    await vi.advanceTimersByTimeAsync(1_000);
    const first = sdk.ws.latest().sentOfType('send_message');
    expect(first).toHaveLength(2);
    sdk.ws.latest().drop();
    await vi.advanceTimersByTimeAsync(100);
    sdk.ws.latest().authenticate();
    const again = sdk.ws.latest().sentOfType('send_message');
    expect(again).toHaveLength(1);
    expect(new Set([...first, ...again].map((f) => f.client_msg_id)).size).toBe(1);
    sdk.ws.latest().deliver(ack(again[0]!.client_msg_id!, 1));
    await expect(sent).resolves.toMatchObject({ seq: 1 });
  });

  it('waits at least retry_after_ms before sending again a send refused overloaded', async () => {
    await sdk.connected();
    const sent = sdk.client.send('general', 'later');
    const [frame] = sdk.ws.latest().sentOfType('send_message');
    sdk.ws.latest().deliver({
      type: 'error',
      code: 'overloaded',
      message: 'Behind.',
      ref: frame!.client_msg_id!,
      retry_after_ms: 2_000,
    });
    await vi.advanceTimersByTimeAsync(1_900);
    expect(sdk.ws.latest().sentOfType('send_message')).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(200);
    const again = sdk.ws.latest().sentOfType('send_message');
    expect(again.map((f) => f.client_msg_id)).toEqual([frame!.client_msg_id, frame!.client_msg_id]);
    sdk.ws.latest().deliver(ack(frame!.client_msg_id!, 1));
    await expect(sent).resolves.toMatchObject({ seq: 1 });
  });

  it('retries a send refused for a passing reason, and rejects one refused for good', async () => {
    await sdk.connected();
    const busy = sdk.client.send('general', 'one');
    const secret = sdk.client.send('secret', 'two');
    const [one, two] = sdk.ws.latest().sentOfType('send_message');
    sdk.ws.latest().deliver({
      type: 'error',
      code: 'rate_limited',
      message: 'Slow down.',
      ref: one!.client_msg_id!,
    });
    sdk.ws.latest().deliver({
      type: 'error',
      code: 'room_not_found',
      message: 'No such room.',
      ref: two!.client_msg_id!,
    });
    const refusal = await secret.catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ChatError);
    expect(refusal).toMatchObject({ code: 'room_not_found', message: 'No such room.' });
    await vi.advanceTimersByTimeAsync(100);
    expect(
      sdk.ws
        .latest()
        .sentOfType('send_message')
        .map((f) => f.content),
    ).toEqual(['one', 'two', 'one']);
    sdk.ws.latest().deliver(ack(one!.client_msg_id!, 1));
    await expect(busy).resolves.toMatchObject({ seq: 1 });
  });

  it('rejects the largest pending send when the server refuses a frame as too large', async () => {
    await sdk.connected();
    const small = sdk.client.send('general', 'small');
    const huge = sdk.client.send('general', 'x'.repeat(40_000));
    sdk.ws.latest().deliver({
      type: 'error',
      code: 'frame_too_large',
      message: 'Frames are limited.',
      ref: null,
    });
    await expect(huge).rejects.toMatchObject({ code: 'frame_too_large' });
    const [frame] = sdk.ws.latest().sentOfType('send_message');
    sdk.ws.latest().deliver(ack(frame!.client_msg_id!, 1));
    await expect(small).resolves.toMatchObject({ seq: 1 });
  });

  it('refuses content longer than the contract allows without writing it', async () => {
    await sdk.connected();
    await expect(sdk.client.send('general', 'x'.repeat(65_537))).rejects.toMatchObject({
      code: 'content_too_long',
    });
    expect(sdk.ws.latest().sentOfType('send_message')).toEqual([]);
  });

  it('pings every heartbeat interval and reconnects after two silent intervals', async () => {
    await sdk.connected({ heartbeatMs: 1_000 });
    const first = sdk.ws.latest();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(first.sentOfType('ping')).toHaveLength(1);
    first.deliver({ type: 'pong' });
    await vi.advanceTimersByTimeAsync(1_999);
    expect(sdk.client.state).toBe('open');
    await vi.advanceTimersByTimeAsync(1);
    expect(first.closedByClient).toBe(true);
    expect(sdk.client.state).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(100);
    expect(sdk.ws.sockets).toHaveLength(2);
  });

  it("uses the server's heartbeat interval by default", async () => {
    const opened = sdk.start().connect();
    await settle();
    sdk.ws.latest().authenticate('alice', 5);
    await opened;
    await vi.advanceTimersByTimeAsync(5_000);
    expect(sdk.ws.latest().sentOfType('ping')).toHaveLength(1);
  });

  it('reconnects and resumes when a gap in a room does not fill', async () => {
    await sdk.connected({ gapTimeoutMs: 500 });
    const seen = delivered();
    void sdk.client.join('general');
    sdk.ws.latest().deliver({ type: 'room_joined', room_id: 'general', last_seq: 0 });
    sdk.ws.latest().deliver(message(2));
    await vi.advanceTimersByTimeAsync(500);
    expect(sdk.client.state).toBe('reconnecting');
    await vi.advanceTimersByTimeAsync(100);
    sdk.ws.latest().authenticate();
    expect(sdk.ws.latest().sentOfType('join_room')).toEqual([
      { type: 'join_room', room_id: 'general', last_seq: 0 },
    ]);
    sdk.ws.latest().deliver(message(1));
    sdk.ws.latest().deliver(message(2));
    expect(seen.map((m) => m.seq)).toEqual([1, 2]);
  });

  it('closes for good when the token is refused', async () => {
    const errors: ChatError[] = [];
    const opened = sdk.start().connect();
    sdk.client.on('error', (error) => errors.push(error));
    await settle();
    sdk.ws.latest().accept();
    sdk.ws
      .latest()
      .deliver({ type: 'error', code: 'invalid_token', message: 'Bad token.', ref: 'authenticate' });
    await expect(opened).rejects.toMatchObject({ code: 'invalid_token' });
    expect(sdk.client.state).toBe('closed');
    expect(errors.map((e) => e.code)).toEqual(['invalid_token']);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sdk.ws.sockets).toHaveLength(1);
  });

  it('reports a failing token provider and tries again', async () => {
    const errors: ChatError[] = [];
    let calls = 0;
    sdk.start({
      token: async () => {
        if (++calls === 1) throw new Error('auth server down');
        return 'token';
      },
    });
    sdk.client.on('error', (error) => errors.push(error));
    const opened = sdk.client.connect();
    await settle();
    expect(errors.map((e) => e.message)).toEqual(['Could not get a token: auth server down']);
    await vi.advanceTimersByTimeAsync(100);
    sdk.ws.latest().authenticate();
    await opened;
  });

  it('on close rejects everything pending and stops reconnecting', async () => {
    await sdk.connected();
    const sent = sdk.client.send('general', 'hello');
    const joined = sdk.client.join('general');
    sdk.client.close();
    await expect(sent).rejects.toMatchObject({ code: 'closed' });
    await expect(joined).rejects.toMatchObject({ code: 'closed' });
    await expect(sdk.client.send('general', 'late')).rejects.toMatchObject({ code: 'closed' });
    expect(sdk.ws.latest().closedByClient).toBe(true);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sdk.ws.sockets).toHaveLength(1);
  });

  it('passes room events through and forgets a deleted room', async () => {
    await sdk.connected();
    const events: string[] = [];
    sdk.client.on('room', (event) => events.push(event.type));
    void sdk.client.join('general');
    sdk.ws.latest().deliver({ type: 'room_joined', room_id: 'general', last_seq: 0 });
    sdk.ws.latest().deliver({ type: 'member_joined', room_id: 'general', user_id: 'bob' });
    sdk.ws.latest().deliver({ type: 'room_deleted', room_id: 'general' });
    sdk.ws.latest().drop();
    await vi.advanceTimersByTimeAsync(100);
    sdk.ws.latest().authenticate();
    expect(events).toEqual(['member_joined', 'room_deleted']);
    expect(sdk.ws.latest().sentOfType('join_room')).toEqual([]);
  });

  it('tells the app of a room opened with the user, without joining it', async () => {
    await sdk.connected();
    const added: unknown[] = [];
    sdk.client.on('room_added', (room) => added.push(room));
    sdk.ws
      .latest()
      .deliver({ type: 'room_added', room_id: 'dm-1', kind: 'direct', members: ['alice', 'bob'] });
    expect(added).toEqual([{ room_id: 'dm-1', kind: 'direct', members: ['alice', 'bob'] }]);
    expect(sdk.ws.latest().sentOfType('join_room')).toEqual([]);
  });
});

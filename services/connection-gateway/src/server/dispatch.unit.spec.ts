import { cipherInMemory } from '@chat/privacy/testing';
import type { OutgoingRecord } from '@chat/bus';
import { CloseCode, type CommandRecord, type Outcome, type ServerFrame } from '@chat/contracts';
import { LocalRateLimiter, type Principal } from '@chat/runtime';
import { describe, expect, it, vi } from 'vitest';
import { PendingCommands } from '../commands/pending-commands';
import type { GatewayContext } from '../context';
import { newConnection } from '../sessions/connection';
import { MAX_REFUSED_FRAMES_IN_A_ROW, receiveFrame } from './dispatch';

type Verified = { ok: true; value: Principal } | { ok: false; error: { code: string; message: string } };

/**
 * A gateway whose token check waits for the test to let it through, and whose bus records the
 * commands published; one connection, whose frames are recorded as sent.
 */
const cipher = await cipherInMemory();

const gatewayWithOneConnection = (
  frameLimiter: Pick<LocalRateLimiter, 'tryTake'> = { tryTake: () => true },
) => {
  let letVerifyThrough!: (verified: Verified) => void;
  const verifying = new Promise<Verified>((resolve) => (letVerifyThrough = resolve));
  const published: CommandRecord[] = [];
  const sent: ServerFrame[] = [];
  const closes: number[] = [];
  const count = { inc: () => {}, observe: () => {} };
  const ctx = {
    instanceId: 'g1',
    authenticator: { verify: () => verifying },
    settings: {
      websocket: {
        max_connections_per_user: 5,
        heartbeat_interval: 30,
        max_frame_bytes: 16_384,
        max_command_lag_ms: 1_000,
      },
      messages: { max_message_length: 4096 },
      rate_limiting: { messages_per_minute: 60 },
    },
    metrics: { framesIn: count, framesHandled: count, ackSeconds: count },
    logger: { error: () => {} },
    frameLimiter,
    unauthenticated: { settled: () => {} },
    authFailures: { failed: () => {} },
    limiter: { take: async () => ({ allowed: true, retryAfterMs: 0 }) },
    registry: { acquire: async () => true },
    usersOnline: new Map(),
    presence: { opened: () => {}, roomJoined: () => {} },
    pending: new PendingCommands(5_000),
    cipher,
    fanout: { publishedSeq: () => 0, subscribe: () => {} },
    bus: {
      publish: async (_topic: string, records: OutgoingRecord[]) => {
        for (const record of records) published.push(JSON.parse(record.value) as CommandRecord);
      },
    },
    // As the real outbox: nothing goes out once the connection is closed.
    outbox: {
      send: (_connection: unknown, frame: ServerFrame) => !connection.closed && sent.push(frame),
      error: (_connection: unknown, code: string, message: string, ref: string | null) =>
        !connection.closed && sent.push({ type: 'error', code, message, ref } as ServerFrame),
      close: (_connection: unknown, code: number) => {
        closes.push(code);
        connection.closed = true;
      },
    },
  } as unknown as GatewayContext;
  const connection = newConnection('c1', '127.0.0.1');
  connection.ws = { subscribe: () => true } as unknown as typeof connection.ws;
  const writeRaw = (text: string) =>
    receiveFrame(ctx, connection, new TextEncoder().encode(text).buffer as ArrayBuffer, false);
  const write = (frame: object) => writeRaw(JSON.stringify(frame));
  return { ctx, connection, write, writeRaw, letVerifyThrough, published, sent, closes };
};

const alice: Principal = { userId: 'alice', name: null, isAdmin: false, expiresAt: null };

/** Lets every pending promise callback run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

const accepted = (record: CommandRecord, result: Extract<Outcome, { kind: 'accepted' }>['result']) =>
  ({ kind: 'accepted', ...record.context, result }) as Extract<Outcome, { kind: 'accepted' }>;

describe('dispatching the frames of one connection', () => {
  it('handles frames written before authentication completed after it, in order', async () => {
    const { ctx, write, letVerifyThrough, published, sent } = gatewayWithOneConnection();
    write({ type: 'authenticate', token: 't' });
    write({ type: 'join_room', room_id: 'r1' });
    write({ type: 'send_message', room_id: 'r1', content: 'hi', client_msg_id: 'm1' });
    await settle();
    expect(published).toEqual([]);

    letVerifyThrough({ ok: true, value: alice });
    await vi.waitFor(() => expect(published).toHaveLength(2));
    expect(published.map((record) => record.command.type)).toEqual(['JoinRoom', 'SendMessage']);

    // The message service answers in order; a consumer may settle both in one go.
    const [join, send] = published as [CommandRecord, CommandRecord];
    ctx.pending.settle(join.context.command_id, accepted(join, { kind: 'room', room_id: 'r1', last_seq: 0 }));
    ctx.pending.settle(
      send.context.command_id,
      accepted(send, {
        kind: 'message_sent',
        room_id: 'r1',
        message_id: 'msg_1',
        seq: 1,
        created_at: '2025-01-01T00:00:00.000Z',
        client_msg_id: 'm1',
        duplicate: false,
      }),
    );
    await settle();
    expect(sent.map((frame) => frame.type)).toEqual(['authenticated', 'room_joined', 'ack']);
  });

  it('refuses a frame as unauthenticated when its turn comes after a refused authenticate', async () => {
    const { write, letVerifyThrough, published, sent } = gatewayWithOneConnection();
    write({ type: 'authenticate', token: 'expired' });
    write({ type: 'send_message', room_id: 'r1', content: 'hi', client_msg_id: 'm1' });
    letVerifyThrough({ ok: false, error: { code: 'token_expired', message: 'Token expired.' } });
    await settle();
    expect(sent).toMatchObject([
      { type: 'error', code: 'token_expired' },
      { type: 'error', code: 'unauthenticated', ref: 'm1' },
    ]);
    expect(published).toEqual([]);
  });

  it('drops the frames still queued when the connection closes', async () => {
    const { connection, write, letVerifyThrough, published, sent } = gatewayWithOneConnection();
    write({ type: 'authenticate', token: 't' });
    write({ type: 'send_message', room_id: 'r1', content: 'hi', client_msg_id: 'm1' });
    connection.closed = true;
    letVerifyThrough({ ok: true, value: alice });
    await settle();
    expect(sent).toEqual([]);
    expect(published).toEqual([]);
  });
});

describe('refusing a flood of frames', () => {
  it('counts every frame against the budget before reading it, malformed ones included', () => {
    const { writeRaw, sent } = gatewayWithOneConnection(
      new LocalRateLimiter({ capacity: 3, periodMs: 10_000 }, () => 0),
    );
    for (let i = 0; i < 4; i += 1) writeRaw('{not json');
    expect(sent.map((frame) => frame.type === 'error' && frame.code)).toEqual([
      'invalid_frame',
      'invalid_frame',
      'invalid_frame',
      'rate_limited',
    ]);
  });

  it(`closes the connection after ${MAX_REFUSED_FRAMES_IN_A_ROW} refused frames in a row, answering no more`, () => {
    const { writeRaw, sent, closes } = gatewayWithOneConnection();
    for (let i = 0; i < 300; i += 1) writeRaw('{not json');
    expect(sent).toHaveLength(MAX_REFUSED_FRAMES_IN_A_ROW);
    expect(closes).toEqual([CloseCode.tooManyRefusedFrames]);
  });

  it('starts counting again after a frame is accepted', () => {
    const { write, writeRaw, closes } = gatewayWithOneConnection();
    for (let round = 0; round < 5; round += 1) {
      for (let i = 0; i < MAX_REFUSED_FRAMES_IN_A_ROW - 1; i += 1) writeRaw('[1,2,3]');
      write({ type: 'ping' });
    }
    expect(closes).toEqual([]);
  });
});

import type { ServerFrame } from '@chat/contracts';
import { cipherInMemory } from '@chat/privacy/testing';
import { describe, expect, it } from 'vitest';
import type { GatewayContext } from '../context';
import { handleSend } from '../messages/send';
import { newConnection } from '../sessions/connection';
import { PendingCommands } from './pending-commands';

const cipher = await cipherInMemory();

/** A gateway whose message service has not answered one command for `lagMs`. */
const gatewayBehindBy = (lagMs: number) => {
  let now = 0;
  const pending = new PendingCommands(60_000, () => now);
  void pending.wait('stuck');
  now = lagMs;
  const sent: ServerFrame[] = [];
  const published: string[] = [];
  const ctx = {
    instanceId: 'g1',
    settings: {
      websocket: { max_command_lag_ms: 1_000 },
      messages: { max_message_length: 4096 },
      rate_limiting: { messages_per_minute: 60 },
    },
    metrics: { errors: { inc: () => {} }, ackSeconds: { observe: () => {} } },
    limiter: { take: async () => ({ allowed: true, retryAfterMs: 0 }) },
    pending,
    cipher,
    bus: { publish: async (topic: string) => void published.push(topic) },
    outbox: {
      error: (_c: unknown, code: string, message: string, ref: string | null, retryAfterMs?: number) =>
        sent.push({ type: 'error', code, message, ref, retry_after_ms: retryAfterMs } as ServerFrame),
    },
  } as unknown as GatewayContext;
  const connection = newConnection('c1', '127.0.0.1');
  connection.principal = { userId: 'alice', name: null, isAdmin: false, expiresAt: null };
  const send = () =>
    handleSend(
      ctx,
      connection,
      { type: 'send_message', room_id: 'r1', content: 'hi', client_msg_id: 'm1' },
      { correlationId: 'c', end: () => {} },
    );
  return { send, sent, published, pending };
};

describe('shedding sends while the message service is behind', () => {
  it('refuses a send at once with overloaded and how long to wait, publishing nothing', async () => {
    const { send, sent, published, pending } = gatewayBehindBy(2_500);
    await send();
    expect(sent).toEqual([expect.objectContaining({ code: 'overloaded', ref: 'm1', retry_after_ms: 2_500 })]);
    expect(published).toEqual([]);
    pending.abandonAll();
  });

  it('takes a send while the oldest unanswered command is within the bound', async () => {
    const { send, published, pending } = gatewayBehindBy(900);
    const sending = send();
    await new Promise((resolve) => setImmediate(resolve));
    expect(published).toEqual(['message.commands']);
    pending.abandonAll();
    await sending;
  });
});

describe('PendingCommands lag', () => {
  it('is the wait of the oldest command still unanswered, and 0 when none is', () => {
    let now = 0;
    const pending = new PendingCommands(60_000, () => now);
    expect(pending.lagMs()).toBe(0);
    void pending.wait('a');
    now = 10;
    void pending.wait('b');
    now = 25;
    expect(pending.lagMs()).toBe(25);
    pending.settle('a', { kind: 'timeout' });
    expect(pending.lagMs()).toBe(15);
    pending.settle('b', { kind: 'timeout' });
    expect(pending.lagMs()).toBe(0);
  });
});

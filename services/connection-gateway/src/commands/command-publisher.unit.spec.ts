import type { Bus } from '@chat/bus';
import type { MessageServiceCommand } from '@chat/contracts';
import { commandContentAad } from '@chat/privacy';
import { cipherInMemory } from '@chat/privacy/testing';
import type { Principal } from '@chat/runtime';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { GatewayContext } from '../context';
import { publishCommand } from './command-publisher';
import { PendingCommands } from './pending-commands';

const COMMAND_TIMEOUT_MS = 10_000;
const cipher = await cipherInMemory();
const principal: Principal = { userId: 'ann', name: 'ann', isAdmin: false, expiresAt: Date.now() + 60_000 };
const command: MessageServiceCommand = {
  type: 'SendMessage',
  data: { room_id: 'general', content: 'hi', message_type: 'text', client_msg_id: 'c1' },
};

/** A gateway whose bus publishes as `publish` does. */
const gatewayPublishingWith = (publish: Bus['publish']) => {
  const warnings: unknown[] = [];
  const ctx = {
    instanceId: 'g1',
    bus: { publish },
    pending: new PendingCommands(COMMAND_TIMEOUT_MS),
    cipher,
    logger: { warn: (fields: unknown) => warnings.push(fields) },
  } as unknown as GatewayContext;
  const turn = { correlationId: 'corr-1', end: vi.fn() };
  return { ctx, turn, warnings };
};

describe('publishing a command', () => {
  afterEach(() => vi.useRealTimers());

  it('given a broker that never answers, when the command timeout passes, then it is answered timeout', async () => {
    vi.useFakeTimers();
    const { ctx, turn } = gatewayPublishingWith(() => new Promise<void>(() => {}));
    let answer: unknown;
    void publishCommand(ctx, principal, command, 'cmd-1', turn).then((settled) => (answer = settled));
    await vi.advanceTimersByTimeAsync(0);
    expect(turn.end).toHaveBeenCalledOnce();
    await vi.advanceTimersByTimeAsync(COMMAND_TIMEOUT_MS);
    expect(answer).toEqual({ kind: 'timeout' });
    expect(ctx.pending.size).toBe(0);
  });

  it('given a publish that fails, then it is answered timeout at once, and the failure is logged', async () => {
    const { ctx, turn, warnings } = gatewayPublishingWith(() =>
      Promise.reject(new Error('broker unreachable')),
    );
    const started = Date.now();
    await expect(publishCommand(ctx, principal, command, 'cmd-1', turn)).resolves.toEqual({
      kind: 'timeout',
    });
    expect(Date.now() - started).toBeLessThan(COMMAND_TIMEOUT_MS);
    expect(warnings).toMatchObject([{ command_id: 'cmd-1', correlation_id: 'corr-1' }]);
  });

  it('given a publish that succeeds, then the outcome of the message service is the answer', async () => {
    const { ctx, turn } = gatewayPublishingWith(async () => {});
    const answering = publishCommand(ctx, principal, command, 'cmd-1', turn);
    await vi.waitFor(() => expect(turn.end).toHaveBeenCalledOnce());
    ctx.pending.settle('cmd-1', {
      kind: 'rejected',
      command_id: 'cmd-1',
      correlation_id: 'corr-1',
      reply_to: 'g1',
      code: 'not_member',
      message: 'No.',
    });
    await expect(answering).resolves.toMatchObject({ kind: 'rejected', code: 'not_member' });
  });

  it('seals what the user wrote, bound to the room and the command id: the topic holds no plain text', async () => {
    const records: string[] = [];
    const { ctx, turn } = gatewayPublishingWith(async (_topic, published) => {
      records.push(...published.map((record) => record.value));
    });
    void publishCommand(ctx, principal, command, 'cmd-1', turn);
    await vi.waitFor(() => expect(records).toHaveLength(1));
    expect(records[0]).not.toContain('"hi"');
    const { content } = JSON.parse(records[0]!).command.data as { content: string };
    expect(await cipher.open(content, commandContentAad('general', 'cmd-1'))).toEqual({
      ok: true,
      text: 'hi',
    });
    expect(await cipher.open(content, commandContentAad('general', 'cmd-2'))).toMatchObject({ ok: false });
    ctx.pending.abandonAll();
  });
});

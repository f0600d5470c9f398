import type { Bus } from '@chat/bus';
import type { MessageServiceCommand } from '@chat/contracts';
import type { Principal } from '@chat/runtime';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { GatewayContext } from '../context';
import { publishCommand } from './command-publisher';
import { PendingCommands } from './pending-commands';

const COMMAND_TIMEOUT_MS = 10_000;
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
});

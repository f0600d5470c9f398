import type { Outcome } from '@chat/contracts';

type Settled = Extract<Outcome, { kind: 'accepted' | 'rejected' }>;
type Timeout = { kind: 'timeout' };
export type CommandAnswer = Settled | Timeout;

/**
 * Commands this gateway published and still awaits an outcome for (of the message service by
 * default; `Answer` names another service's). A client may repeat a `client_msg_id` before the
 * first answer: both waiters get the same outcome.
 */
export class PendingCommands<Answer extends { kind: string } = Settled> {
  private readonly waiters = new Map<string, Array<(answer: Answer | Timeout) => void>>();

  constructor(private readonly timeoutMs: number) {}

  wait(commandId: string): Promise<Answer | Timeout> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.settle(commandId, { kind: 'timeout' }), this.timeoutMs);
      const waiting = this.waiters.get(commandId) ?? [];
      waiting.push((answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
      this.waiters.set(commandId, waiting);
    });
  }

  settle(commandId: string, answer: Answer | Timeout): void {
    const waiting = this.waiters.get(commandId);
    if (!waiting) return;
    this.waiters.delete(commandId);
    for (const resolve of waiting) resolve(answer);
  }

  get size(): number {
    return this.waiters.size;
  }

  /** Answers every waiter with a timeout; used on shutdown. */
  abandonAll(): void {
    for (const commandId of [...this.waiters.keys()]) this.settle(commandId, { kind: 'timeout' });
  }
}

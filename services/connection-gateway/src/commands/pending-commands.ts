import type { Outcome } from '@chat/contracts';

type Settled = Extract<Outcome, { kind: 'accepted' | 'rejected' }>;
export type Timeout = { kind: 'timeout' };
export type CommandAnswer = Settled | Timeout;

interface Waiting<Answer> {
  /** When the first waiter of this command started waiting (the clock's ms). */
  since: number;
  resolvers: Array<(answer: Answer | Timeout) => void>;
}

/**
 * Commands this gateway published and still awaits an outcome for (of the message service by
 * default; `Answer` names another service's). A client may repeat a `client_msg_id` before the
 * first answer: both waiters get the same outcome.
 */
export class PendingCommands<Answer extends { kind: string } = Settled> {
  /** In the order commands were first awaited: the first entry is the oldest still unanswered. */
  private readonly waiters = new Map<string, Waiting<Answer>>();

  constructor(
    private readonly timeoutMs: number,
    private readonly clock: () => number = Date.now,
  ) {}

  wait(commandId: string): Promise<Answer | Timeout> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.settle(commandId, { kind: 'timeout' }), this.timeoutMs);
      const waiting = this.waiters.get(commandId) ?? { since: this.clock(), resolvers: [] };
      waiting.resolvers.push((answer) => {
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
    for (const resolve of waiting.resolvers) resolve(answer);
  }

  get size(): number {
    return this.waiters.size;
  }

  /** How long the oldest command still unanswered has waited: how far behind its service is. */
  lagMs(): number {
    const oldest = this.waiters.values().next();
    return oldest.done ? 0 : this.clock() - oldest.value.since;
  }

  /** Answers every waiter with a timeout; used on shutdown. */
  abandonAll(): void {
    for (const commandId of [...this.waiters.keys()]) this.settle(commandId, { kind: 'timeout' });
  }
}

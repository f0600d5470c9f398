import type { ClientFrameOf, ServerFrameOf } from './wire';

/** A `react` frame as this client writes it: always with the id its answer names. */
export type ReactFrame = ClientFrameOf<'react'> & { client_msg_id: string };

/** The server's confirmation of a reaction, with the emoji's count on the message after it. */
export type ReactionAck = Omit<ServerFrameOf<'reaction_ack'>, 'type'>;

interface PendingReaction {
  frame: ReactFrame;
  retries: number;
  resolve(ack: ReactionAck): void;
  reject(error: Error): void;
}

/**
 * Reactions the server has not answered yet. Writing one again — after a reconnect or a passing
 * refusal — is safe without an idempotency key: adding a reaction twice, or removing it twice,
 * has the effect of once.
 */
export class PendingReactions {
  private readonly pending = new Map<string, PendingReaction>();

  add(frame: ReactFrame): Promise<ReactionAck> {
    return new Promise((resolve, reject) => {
      this.pending.set(frame.client_msg_id, { frame, retries: 0, resolve, reject });
    });
  }

  get(ref: string): ReactFrame | undefined {
    return this.pending.get(ref)?.frame;
  }

  /** Every pending frame, oldest first. */
  frames(): ReactFrame[] {
    return [...this.pending.values()].map((each) => each.frame);
  }

  /** How many times the reaction was retried before this one. */
  countRetry(ref: string): number {
    const entry = this.pending.get(ref);
    return entry ? entry.retries++ : 0;
  }

  /** Resolves the reaction the ack answers; false if none is pending. */
  confirm(ack: ReactionAck): boolean {
    const entry = ack.client_msg_id === null ? undefined : this.pending.get(ack.client_msg_id);
    if (!entry) return false;
    this.pending.delete(entry.frame.client_msg_id);
    entry.resolve(ack);
    return true;
  }

  fail(ref: string, error: Error): void {
    this.pending.get(ref)?.reject(error);
    this.pending.delete(ref);
  }

  failAll(error: Error): void {
    for (const ref of [...this.pending.keys()]) this.fail(ref, error);
  }
}

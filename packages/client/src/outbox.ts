import type { ClientFrameOf, ServerFrameOf } from './wire';

/** A `send_message` or `share_file` frame as this client writes it: always with its idempotency key. */
export type SendFrame = (ClientFrameOf<'send_message'> | ClientFrameOf<'share_file'>) & {
  client_msg_id: string;
};

/** The server's confirmation that a message is durably stored. */
export type Ack = Omit<ServerFrameOf<'ack'>, 'type'>;

interface PendingSend {
  frame: SendFrame;
  bytes: number;
  retries: number;
  resolve(ack: Ack): void;
  reject(error: Error): void;
}

const encoder = new TextEncoder();

/**
 * Sends the server has not confirmed yet, oldest first. An entry stays until its ack or a final
 * error, across any number of reconnects; re-writing it is safe because the server recognises its
 * `client_msg_id` and answers with the original message instead of storing it twice.
 */
export class Outbox {
  private readonly pending = new Map<string, PendingSend>();

  get size(): number {
    return this.pending.size;
  }

  add(frame: SendFrame): Promise<Ack> {
    return new Promise((resolve, reject) => {
      const bytes = encoder.encode(JSON.stringify(frame)).length;
      this.pending.set(frame.client_msg_id, { frame, bytes, retries: 0, resolve, reject });
    });
  }

  has(clientMsgId: string): boolean {
    return this.pending.has(clientMsgId);
  }

  get(clientMsgId: string): SendFrame | undefined {
    return this.pending.get(clientMsgId)?.frame;
  }

  /** Every unconfirmed frame, in the order the app sent them. */
  frames(): SendFrame[] {
    return [...this.pending.values()].map((entry) => entry.frame);
  }

  /** Counts one more retry after a retryable error; returns the number before it (the backoff attempt). */
  countRetry(clientMsgId: string): number {
    const entry = this.pending.get(clientMsgId);
    return entry ? entry.retries++ : 0;
  }

  /** Settles the send an ack answers. False for an ack already seen: a re-write may be acked twice. */
  confirm(ack: Ack): boolean {
    const entry = ack.client_msg_id === null ? undefined : this.pending.get(ack.client_msg_id);
    if (!entry) return false;
    this.pending.delete(entry.frame.client_msg_id);
    entry.resolve(ack);
    return true;
  }

  fail(clientMsgId: string, error: Error): boolean {
    const entry = this.pending.get(clientMsgId);
    if (!entry) return false;
    this.pending.delete(clientMsgId);
    entry.reject(error);
    return true;
  }

  failAll(error: Error): void {
    for (const clientMsgId of [...this.pending.keys()]) this.fail(clientMsgId, error);
  }

  /** The send with the biggest frame, in UTF-8 bytes as the server measures it. */
  largest(): string | undefined {
    let largest: PendingSend | undefined;
    for (const entry of this.pending.values()) if (!largest || entry.bytes > largest.bytes) largest = entry;
    return largest?.frame.client_msg_id;
  }
}

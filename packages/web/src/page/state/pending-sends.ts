import type { ChatMessage } from '@chat/client';

/** A message sent and not yet stored: shown as "sending…" (or why it failed) below the stored ones. */
export interface PendingSend {
  id: string;
  roomId: string;
  /** The thread's root, for a reply. */
  threadId: string | null;
  content: string;
  /** Why it was refused for good; null while it may still be stored. */
  failed: string | null;
}

/**
 * The user's sends until the server has them. A send is settled by its ack or by its message,
 * whichever comes first; its message carries the `client_msg_id` the ack named, but a send does
 * not know it until then, so a message that comes first settles the oldest send of the same room,
 * thread and content.
 */
export class PendingSends {
  private readonly sends = new Map<string, PendingSend>();
  /** Sends settled by their ack: their message, when it comes, settles no other send. */
  private readonly settledByAck = new Set<string>();

  add(roomId: string, content: string, threadId: string | null = null): string {
    const id = crypto.randomUUID();
    this.sends.set(id, { id, roomId, threadId, content, failed: null });
    return id;
  }

  acked(id: string, clientMsgId: string | null): void {
    if (this.sends.delete(id) && clientMsgId) this.settledByAck.add(clientMsgId);
  }

  failed(id: string, reason: string): void {
    const send = this.sends.get(id);
    if (send) send.failed = reason;
  }

  /** One of the user's own messages arrived (from this page or another device of theirs). */
  arrived(message: ChatMessage): void {
    if (message.client_msg_id && this.settledByAck.delete(message.client_msg_id)) return;
    const threadId = message.thread_id ?? null;
    for (const [id, send] of this.sends) {
      const same =
        send.roomId === message.room_id && send.threadId === threadId && send.content === message.content;
      if (same && !send.failed) {
        this.sends.delete(id);
        return;
      }
    }
  }

  /** How many may still be stored. */
  waiting(): number {
    return [...this.sends.values()].filter(({ failed }) => !failed).length;
  }

  /** A room's own sends (not replies), or a thread's replies. */
  of(roomId: string, threadId: string | null = null): PendingSend[] {
    return [...this.sends.values()].filter((send) => send.roomId === roomId && send.threadId === threadId);
  }
}

import type { ChatMessage, ThreadUpdate } from '@chat/client';

/** A message and a number that changes whenever it does: what tells the view to draw it again. */
export interface Entry {
  message: ChatMessage;
  version: number;
  /** Made from the sender's ack, until the message itself arrives (with its reactions, thread…). */
  fromAck: boolean;
}

export interface ReactionChange {
  message_id: string;
  emoji: string;
  count: number;
  /** Whether the change was the viewer's own, and so whether `me` moves. */
  mine: boolean;
  action: 'add' | 'remove';
}

/**
 * One room's messages as the page knows them: history pages, live messages and acks merged by
 * seq (each seq once, whichever came first, the fuller copy kept), and every later change —
 * edits, deletions, expiry, reactions, thread summaries — applied to the message it names.
 */
export class RoomLog {
  private readonly bySeq = new Map<number, Entry>();
  private readonly seqOf = new Map<string, number>();
  /** Whether history older than the oldest loaded message remains to be fetched. */
  hasOlder = true;

  /** History pages and live messages; a seq already known keeps its message (and later changes). */
  add(messages: readonly ChatMessage[]): void {
    for (const message of messages) {
      const known = this.bySeq.get(message.seq);
      if (known && !known.fromAck) continue;
      this.put(message, (known?.version ?? 0) + 1, false);
    }
  }

  /**
   * Pages fetched again after a reconnect: what changed meanwhile (edits, deletions, reactions,
   * threads — resume replays only new messages) replaces what the page had.
   */
  refresh(messages: readonly ChatMessage[]): void {
    for (const message of messages) {
      const known = this.bySeq.get(message.seq);
      if (known && JSON.stringify(known.message) === JSON.stringify(message)) continue;
      this.put(message, (known?.version ?? 0) + 1, false);
    }
  }

  /** The sender's own message as its ack describes it, until the message itself arrives. */
  acked(message: ChatMessage): void {
    if (!this.bySeq.has(message.seq)) this.put(message, 1, true);
  }

  private put(message: ChatMessage, version: number, fromAck: boolean): void {
    this.bySeq.set(message.seq, { message, version, fromAck });
    this.seqOf.set(message.message_id, message.seq);
  }

  get oldestSeq(): number | undefined {
    return this.bySeq.size === 0 ? undefined : Math.min(...this.bySeq.keys());
  }

  get newestSeq(): number {
    return this.bySeq.size === 0 ? 0 : Math.max(...this.bySeq.keys());
  }

  /** The room's own messages, oldest first: thread replies live in their thread. */
  topLevel(): Entry[] {
    return this.sorted().filter(({ message }) => !message.thread_id);
  }

  /** The replies of a thread that reached this room's log, oldest first. */
  replies(threadId: string): Entry[] {
    return this.sorted().filter(({ message }) => message.thread_id === threadId);
  }

  find(messageId: string): ChatMessage | undefined {
    const seq = this.seqOf.get(messageId);
    return seq === undefined ? undefined : this.bySeq.get(seq)?.message;
  }

  edited(seq: number, content: string, editedAt: string): void {
    this.change(seq, (message) => ({ ...message, content, edited_at: editedAt }));
  }

  deleted(seq: number): void {
    this.change(seq, (message) => ({
      ...message,
      content: '',
      deleted_at: message.deleted_at ?? new Date().toISOString(),
      reactions: [],
    }));
  }

  /** The room's messages up to `throughSeq` are past its retention: tombstones, as history answers them. */
  expired(throughSeq: number): void {
    for (const seq of [...this.bySeq.keys()].filter((each) => each <= throughSeq)) {
      this.change(seq, ({ file: _file, mentions: _mentions, ...message }) => ({
        ...message,
        content: '',
        expired: true,
        reactions: [],
      }));
    }
  }

  threadUpdated(update: ThreadUpdate): void {
    const { reply_count, last_reply_at, participants } = update;
    this.change(update.seq, (message) => ({
      ...message,
      thread: { reply_count, last_reply_at, participants },
    }));
  }

  reacted({ message_id, emoji, count, mine, action }: ReactionChange): void {
    const seq = this.seqOf.get(message_id);
    if (seq === undefined) return;
    this.change(seq, (message) => {
      const others = (message.reactions ?? []).filter((reaction) => reaction.emoji !== emoji);
      const before = message.reactions?.find((reaction) => reaction.emoji === emoji);
      const me = mine ? action === 'add' : (before?.me ?? false);
      return { ...message, reactions: count > 0 ? [...others, { emoji, count, me }] : others };
    });
  }

  private change(seq: number, apply: (message: ChatMessage) => ChatMessage): void {
    const known = this.bySeq.get(seq);
    if (known) this.bySeq.set(seq, { ...known, message: apply(known.message), version: known.version + 1 });
  }

  private sorted(): Entry[] {
    return [...this.bySeq.entries()].sort(([a], [b]) => a - b).map(([, entry]) => entry);
  }
}

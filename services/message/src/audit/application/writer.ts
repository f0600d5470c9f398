import { ChainedAuditRecord, compile, type AuditRecord } from '@chat/contracts';
import { WrongExpectedRevisionError, type EventStore, type NewEvent } from '@chat/eventstore';
import type { Logger } from '@chat/runtime';
import { EMPTY_CHAIN, extendChain, type ChainHead } from '../domain/chain';
import type { AuditReadModel } from './port';

/** The audit chain's stream: one chain, so one order and one `verify` for the whole platform. */
export const AUDIT_STREAM = 'audit-log';
export const AUDIT_EVENT_TYPE = 'AuditRecorded';

/** Records read back and stored at once when catching up. */
const PAGE = 500;

const validRecord = compile(ChainedAuditRecord);

const toNewEvent = (record: ChainedAuditRecord): NewEvent => ({
  // The audit id is derived from the source: an append repeated at the same place is a no-op.
  id: record.audit_id,
  type: AUDIT_EVENT_TYPE,
  data: record,
  metadata: { correlation_id: record.correlation_id, actor_id: record.actor },
});

const recordOf = (data: unknown): ChainedAuditRecord => {
  if (!validRecord.check(data))
    throw new TypeError(`Not an audit record: ${validRecord.explain(data) ?? ''}`);
  return data;
};

/**
 * Appends audit records to the chain in the event store and stores them in the read model, one
 * batch at a time in the order given. Idempotent: a record whose `audit_id` (derived from its
 * source) is in the chain already is dropped, so a redelivered source adds nothing.
 *
 * Several writers (one per replica) may extend the chain: each append is conditional on the
 * chain's revision, and a writer that lost the race catches up — storing what others appended —
 * before it looks again for what is new. The read model therefore holds the whole chain up to the
 * head a writer links to, and is the index it deduplicates against.
 */
export class AuditWriter {
  /** The chain's head as this writer last appended or read it; null: read it again. */
  private head: ChainHead | null = null;
  private turn: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: EventStore,
    private readonly readModel: AuditReadModel,
    private readonly logger: Logger,
  ) {}

  /** Records the batch after every batch given before it (in this process). */
  write(records: readonly AuditRecord[]): Promise<void> {
    const done = this.turn.then(() => this.writeNow(records));
    this.turn = done.catch(() => undefined);
    return done;
  }

  /**
   * Stores in the read model what the chain holds beyond it (appended by a writer that stopped, or
   * by another replica), and learns the chain's head.
   */
  catchUp(): Promise<ChainHead> {
    const done = this.turn.then(() => this.catchUpNow());
    this.turn = done.catch(() => undefined);
    return done;
  }

  private async catchUpNow(): Promise<ChainHead> {
    let head = EMPTY_CHAIN;
    const stored = await this.readModel.lastSeq();
    if (stored > 0) {
      // The head's hash as the event store has it: the read model may have been edited.
      for await (const event of this.store.readStream(AUDIT_STREAM, {
        fromRevision: stored - 1,
        maxCount: 1,
      })) {
        head = recordOf(event.data);
      }
    }
    let page: ChainedAuditRecord[] = [];
    for await (const event of this.store.readStream(AUDIT_STREAM, { fromRevision: stored })) {
      page.push(recordOf(event.data));
      if (page.length === PAGE) {
        await this.readModel.store(page);
        page = [];
      }
    }
    await this.readModel.store(page);
    const last = page.at(-1);
    if (last) head = last;
    if (head.seq > stored) this.logger.info({ from: stored, to: head.seq }, 'audit read model caught up');
    this.head = { seq: head.seq, hash: head.hash };
    return this.head;
  }

  private async writeNow(records: readonly AuditRecord[]): Promise<void> {
    const unique = [...new Map(records.map((record) => [record.audit_id, record])).values()];
    if (unique.length === 0) return;
    // A refused append means another writer extended the chain: the chain always progresses.
    for (;;) {
      const head = this.head ?? (await this.catchUpNow());
      const known = await this.readModel.existing(unique.map((record) => record.audit_id));
      const fresh = unique.filter((record) => !known.has(record.audit_id));
      if (fresh.length === 0) return;
      const chained = extendChain(head, fresh);
      try {
        await this.append(head, chained);
      } catch (error) {
        // Whatever happened, the head this writer knows may be wrong now.
        this.head = null;
        if (error instanceof WrongExpectedRevisionError) continue;
        throw error;
      }
      await this.readModel.store(chained);
      this.head = { seq: chained.at(-1)!.seq, hash: chained.at(-1)!.hash };
      return;
    }
  }

  /** One append for the batch: all of it joins the chain, or none. */
  private async append(head: ChainHead, chained: ChainedAuditRecord[]): Promise<void> {
    await this.store.append(
      AUDIT_STREAM,
      chained.map(toNewEvent),
      head.seq === 0 ? 'no_stream' : head.seq - 1,
    );
  }
}

import type { ChainedAuditRecord } from '@chat/contracts';

/** Which records a query reads; every field narrows it. */
export interface AuditFilter {
  /** Only records of these rooms (an empty list matches none). */
  roomIds?: readonly string[];
  actor?: string;
  /** Only records this user made or that were done to them (target of type `user`). */
  concerning?: string;
  action?: string;
  /** At or after this time (ISO 8601, compared as stored). */
  since?: string;
  /** Before this time. */
  until?: string;
  /** Only records below this seq: where the previous page ended. */
  beforeSeq?: number;
}

/**
 * The audit log's read model: the records of the audit chain as the API reads and verifies them.
 * The audit writer stores what it appended to the event store; adapters (SQLite embedded, MongoDB
 * in the fleet) pass the one conformance suite in `../adapters/conformance.ts`.
 */
export interface AuditReadModel {
  /** Stores records of the chain; one whose seq is stored already is left as it is (redelivery). */
  store(records: readonly ChainedAuditRecord[]): Promise<void>;
  /** The newest stored seq (0: none). */
  lastSeq(): Promise<number>;
  /** Which of these audit ids are stored. */
  existing(auditIds: readonly string[]): Promise<Set<string>>;
  /** The newest `limit` records the filter matches, newest (highest seq) first. */
  query(filter: AuditFilter, limit: number): Promise<ChainedAuditRecord[]>;
  /** Up to `limit` records from seq `fromSeq` on, in seq order, exactly as stored: what `verify` reads. */
  chain(fromSeq: number, limit: number): Promise<ChainedAuditRecord[]>;
  close(): Promise<void>;
}

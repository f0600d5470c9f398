import type { AuditRecord, AuditVerification, ChainedAuditRecord } from '@chat/contracts';
import { canonicalSha256 } from './canonical';

/** The `prev_hash` of a chain's first record. */
export const GENESIS_HASH = '0'.repeat(64);

/** Where a chain ends: its last record's seq and hash (seq 0 and the genesis hash when empty). */
export interface ChainHead {
  seq: number;
  hash: string;
}

export const EMPTY_CHAIN: ChainHead = { seq: 0, hash: GENESIS_HASH };

/** A record's hash: SHA-256 of the canonical encoding of all its fields but `hash`. */
export const recordHash = ({ hash: _, ...linked }: Omit<ChainedAuditRecord, 'hash'> & { hash?: string }) =>
  canonicalSha256(linked);

/** The records linked after `head`, in order: each takes the next seq and the hash before it. */
export const extendChain = (head: ChainHead, records: readonly AuditRecord[]): ChainedAuditRecord[] => {
  let last = head;
  return records.map((record) => {
    const linked = { ...record, seq: last.seq + 1, prev_hash: last.hash };
    const chained = { ...linked, hash: recordHash(linked) };
    last = chained;
    return chained;
  });
};

export type ChainBreak = NonNullable<AuditVerification['first_broken']>;

/**
 * Checks a stored record against the one stored before it (`head`): its place (the next seq), its
 * own hash, and its link (the previous hash).
 */
export const checkLink = (head: ChainHead, record: ChainedAuditRecord): ChainBreak | null => {
  const broken = (reason: ChainBreak['reason']): ChainBreak => ({
    seq: record.seq,
    audit_id: record.audit_id,
    reason,
  });
  if (record.seq !== head.seq + 1) return broken('seq_gap');
  if (record.hash !== recordHash(record)) return broken('hash_mismatch');
  if (record.prev_hash !== head.hash) return broken('prev_hash_mismatch');
  return null;
};

/**
 * Verifies a chain fed one record at a time, in seq order, so a chain of any length is checked in
 * pages: counts every record and keeps the first that breaks.
 */
export class ChainVerification {
  private head = EMPTY_CHAIN;
  private count = 0;
  private broken: ChainBreak | null = null;

  add(record: ChainedAuditRecord): void {
    this.count += 1;
    this.broken ??= checkLink(this.head, record);
    this.head = record;
  }

  result(): AuditVerification {
    return this.broken
      ? { ok: false, records: this.count, first_broken: this.broken }
      : { ok: true, records: this.count };
  }
}

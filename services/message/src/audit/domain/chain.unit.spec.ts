import type { AuditRecord, ChainedAuditRecord } from '@chat/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalSha256 } from './canonical';
import { ChainVerification, EMPTY_CHAIN, extendChain, GENESIS_HASH } from './chain';

const record = (n: number, overrides: Partial<AuditRecord> = {}): AuditRecord => ({
  audit_id: `00000000-0000-5000-8000-${String(n).padStart(12, '0')}`,
  at: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
  actor: 'alice',
  action: 'member.removed',
  target: { type: 'user', id: `user-${n}` },
  room_id: 'r1',
  correlation_id: `request-${n}`,
  ...overrides,
});

const verify = (records: readonly ChainedAuditRecord[]) => {
  const verification = new ChainVerification();
  for (const stored of records) verification.add(stored);
  return verification.result();
};

const chainOf = (count: number) =>
  extendChain(
    EMPTY_CHAIN,
    Array.from({ length: count }, (_, index) => record(index + 1)),
  );

describe('the audit hash chain', () => {
  it('links each record to the one before, from the genesis hash, and hashes all its other fields', () => {
    const [first, second] = chainOf(2);
    expect(first).toMatchObject({ seq: 1, prev_hash: GENESIS_HASH });
    expect(second).toMatchObject({ seq: 2, prev_hash: first!.hash });
    const { hash, ...linked } = second!;
    expect(hash).toBe(canonicalSha256(linked));
  });

  it('continues a chain from its head as if it had been written at once', () => {
    const whole = chainOf(5);
    const head = whole[2]!;
    expect(extendChain(head, [record(4), record(5)])).toEqual(whole.slice(3));
  });

  it('verifies an intact chain, and an empty one', () => {
    expect(verify(chainOf(6))).toEqual({ ok: true, records: 6 });
    expect(verify([])).toEqual({ ok: true, records: 0 });
  });

  it('pins a removed record on the one after it, and counts every record stored', () => {
    const chain = chainOf(5);
    expect(verify([...chain.slice(0, 2), ...chain.slice(3)])).toEqual({
      ok: false,
      records: 4,
      first_broken: { seq: 4, audit_id: chain[3]!.audit_id, reason: 'seq_gap' },
    });
  });

  it('pins a record rehashed after an edit on the record after it: its link no longer holds', () => {
    const chain = chainOf(4);
    const edited = { ...chain[1]!, actor: 'mallory' };
    const { hash: _, ...linked } = edited;
    const rehashed = { ...edited, hash: canonicalSha256(linked) };
    expect(verify([chain[0]!, rehashed, ...chain.slice(2)]).first_broken).toEqual({
      seq: 3,
      audit_id: chain[2]!.audit_id,
      reason: 'prev_hash_mismatch',
    });
  });

  it('detects any single-field edit of any record at that very record', () => {
    const chain = chainOf(8);
    const fields = Object.keys(chain[0]!) as (keyof ChainedAuditRecord)[];
    const optional = fc.option(fc.string(), { nil: undefined });
    // An edit sets one field to a different value (or removes an optional one, or adds one).
    const edit = fc.record({
      index: fc.integer({ min: 0, max: chain.length - 1 }),
      field: fc.constantFrom(...fields, 'reason' as const),
      text: fc.string(),
      number: fc.integer({ min: 1, max: 100 }),
      optional,
    });
    fc.assert(
      fc.property(edit, ({ index, field, text, number, optional }) => {
        const original = chain[index]!;
        const value =
          field === 'seq'
            ? number
            : field === 'target'
              ? { ...original.target, id: text }
              : field === 'room_id' || field === 'reason'
                ? optional
                : text;
        fc.pre(JSON.stringify(value) !== JSON.stringify(original[field]));
        const edited = chain.map((stored, at) => (at === index ? { ...stored, [field]: value } : stored));
        const result = verify(edited as ChainedAuditRecord[]);
        expect(result.ok).toBe(false);
        // Named as it is stored now: its own audit id, edited or not.
        expect(result.first_broken?.audit_id).toBe(edited[index]!.audit_id);
      }),
      { numRuns: 2_000 },
    );
  });
});

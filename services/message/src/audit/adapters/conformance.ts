import type { AuditRecord } from '@chat/contracts';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditReadModel } from '../application/port';
import { verifyAuditLog } from '../application/queries';
import { EMPTY_CHAIN, extendChain } from '../domain/chain';

/** An adapter under test, and a way to change a stored record's `actor` behind its back. */
export interface OpenedAuditReadModel {
  readModel: AuditReadModel;
  editActor(seq: number, actor: string): Promise<void>;
}

const record = (n: number, overrides: Partial<AuditRecord> = {}): AuditRecord => ({
  audit_id: `00000000-0000-5000-8000-${String(n).padStart(12, '0')}`,
  at: new Date(Date.UTC(2026, 0, 1, 0, n)).toISOString(),
  actor: 'alice',
  action: 'member.added',
  target: { type: 'user', id: `user-${n}` },
  room_id: 'r1',
  correlation_id: `request-${n}`,
  ...overrides,
});

/** A chain of `count` records, every third in room r2, every fourth by bob, every fifth without a room. */
const sampleChain = (count: number) =>
  extendChain(
    EMPTY_CHAIN,
    Array.from({ length: count }, (_, index) => {
      const n = index + 1;
      const { room_id: _room, ...roomless } = record(n, { action: 'auth.failed', reason: '3 failures' });
      if (n % 5 === 0) return roomless;
      return record(n, {
        ...(n % 3 === 0 ? { room_id: 'r2' } : {}),
        ...(n % 4 === 0 ? { actor: 'bob' } : {}),
      });
    }),
  );

const verify = async (readModel: AuditReadModel) => {
  const verified = await verifyAuditLog(readModel, { userId: 'admin', isAdmin: true });
  return verified.ok ? verified.value : verified.error;
};

/** The one suite every `AuditReadModel` adapter passes. */
export const describeAuditReadModel = (name: string, open: () => Promise<OpenedAuditReadModel>) => {
  describe(`AuditReadModel conformance: ${name}`, () => {
    let opened: AuditReadModel[] = [];
    const fresh = async () => {
      const adapter = await open();
      opened.push(adapter.readModel);
      return adapter;
    };
    afterEach(async () => {
      for (const readModel of opened) await readModel.close();
      opened = [];
    });

    it('reads back every record exactly as stored, absent fields absent, in seq order', async () => {
      const { readModel } = await fresh();
      expect(await readModel.lastSeq()).toBe(0);
      const chain = sampleChain(12);
      await readModel.store(chain.slice(0, 5));
      await readModel.store(chain.slice(5));
      expect(await readModel.lastSeq()).toBe(12);
      expect(await readModel.chain(1, 100)).toEqual(chain);
      expect(await readModel.chain(4, 3)).toEqual(chain.slice(3, 6));
      expect(await verify(readModel)).toEqual({ ok: true, records: 12 });
    });

    it('keeps the first record stored at a seq: storing again changes nothing', async () => {
      const { readModel } = await fresh();
      const chain = sampleChain(3);
      await readModel.store(chain);
      await readModel.store([{ ...chain[1]!, actor: 'mallory' }, ...chain]);
      expect(await readModel.chain(1, 10)).toEqual(chain);
    });

    it('tells which audit ids it holds', async () => {
      const { readModel } = await fresh();
      const chain = sampleChain(4);
      await readModel.store(chain);
      const unknown = record(99).audit_id;
      expect(await readModel.existing([chain[0]!.audit_id, unknown, chain[3]!.audit_id])).toEqual(
        new Set([chain[0]!.audit_id, chain[3]!.audit_id]),
      );
      expect(await readModel.existing([])).toEqual(new Set());
    });

    it('answers queries newest first, narrowed by every filter given', async () => {
      const { readModel } = await fresh();
      const chain = sampleChain(20);
      await readModel.store(chain);
      const seqs = async (filter: Parameters<AuditReadModel['query']>[0], limit = 100) =>
        (await readModel.query(filter, limit)).map((stored) => stored.seq);
      expect(await seqs({}, 3)).toEqual([20, 19, 18]);
      expect(await seqs({ roomIds: ['r2'] })).toEqual([18, 12, 9, 6, 3]);
      expect(await seqs({ roomIds: ['r1', 'r2'], actor: 'bob' })).toEqual([16, 12, 8, 4]);
      expect(await seqs({ roomIds: [] })).toEqual([]);
      expect(await seqs({ action: 'auth.failed' })).toEqual([20, 15, 10, 5]);
      expect(await seqs({ since: chain[9]!.at, until: chain[12]!.at })).toEqual([12, 11, 10]);
      expect(await seqs({ beforeSeq: 6, roomIds: ['r1'] }, 2)).toEqual([4, 2]);
      expect(await readModel.query({ actor: 'bob', beforeSeq: 5 }, 10)).toEqual([chain[3]]);
      // Made by bob (every fourth), or done to user-6.
      expect(await seqs({ concerning: 'bob' })).toEqual([16, 12, 8, 4]);
      expect(await seqs({ concerning: 'user-6' })).toEqual([6]);
    });

    it('shows an edit made behind its back, which verification pins to that record', async () => {
      const { readModel, editActor } = await fresh();
      const chain = sampleChain(8);
      await readModel.store(chain);
      await editActor(6, 'mallory');
      expect((await readModel.chain(6, 1))[0]!.actor).toBe('mallory');
      expect(await verify(readModel)).toEqual({
        ok: false,
        records: 8,
        first_broken: { seq: 6, audit_id: chain[5]!.audit_id, reason: 'hash_mismatch' },
      });
    });
  });
};

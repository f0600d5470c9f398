import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditRecord } from '@chat/contracts';
import { SqliteEventStore } from '@chat/eventstore/sqlite';
import { createLogger } from '@chat/runtime';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { SqliteAuditReadModel } from '../adapters/sqlite-audit-read-model';
import { auditIdOf } from '../domain/mapping';
import { verifyAuditLog } from './queries';
import { AUDIT_STREAM, AuditWriter } from './writer';

const directory = mkdtempSync(join(tmpdir(), 'audit-writer-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
const logger = createLogger('audit-writer-test', 'silent');
const admin = { userId: 'admin', isAdmin: true };

let files = 0;
const fresh = () => {
  const dir = join(directory, String(++files));
  return {
    store: SqliteEventStore.open(join(dir, 'events.db')),
    readModelAt: (name: string) => SqliteAuditReadModel.open(join(dir, name)),
    path: (name: string) => join(dir, name),
  };
};

const record = (source: string): AuditRecord => ({
  audit_id: auditIdOf(source),
  at: '2026-01-01T10:00:00.000Z',
  actor: 'alice',
  action: 'member.added',
  target: { type: 'user', id: source },
  room_id: 'r1',
  correlation_id: `request-${source}`,
});

const actorsOf = async (readModel: SqliteAuditReadModel) =>
  (await readModel.chain(1, 1_000)).map((stored) => stored.target.id);

describe('audit writer', () => {
  it('records a redelivered source once, and keeps the order it was given', async () => {
    const { store, readModelAt } = fresh();
    const readModel = readModelAt('audit.db');
    const writer = new AuditWriter(store, readModel, logger);
    await writer.write([record('a'), record('b')]);
    await writer.write([record('b'), record('c'), record('c'), record('a')]);
    await writer.write([record('a')]);
    expect(await actorsOf(readModel)).toEqual(['a', 'b', 'c']);
    expect(await store.streamRevision(AUDIT_STREAM)).toBe(2);
    expect(await verifyAuditLog(readModel, admin)).toEqual({ ok: true, value: { ok: true, records: 3 } });
    await readModel.close();
    await store.close();
  });

  it('keeps one chain when writers of several replicas race, each source once', async () => {
    const { store, readModelAt } = fresh();
    const readModel = readModelAt('audit.db');
    const writers = [0, 1, 2].map(() => new AuditWriter(store, readModel, logger));
    const sources = Array.from({ length: 30 }, (_, n) => `s${n}`);
    // Each source reaches two writers, as a partition handed over mid-batch would.
    await Promise.all(
      sources.map((source, n) =>
        Promise.all([writers[n % 3]!.write([record(source)]), writers[(n + 1) % 3]!.write([record(source)])]),
      ),
    );
    expect((await actorsOf(readModel)).sort()).toEqual([...sources].sort());
    expect(await store.streamRevision(AUDIT_STREAM)).toBe(29);
    expect(await verifyAuditLog(readModel, admin)).toEqual({ ok: true, value: { ok: true, records: 30 } });
    await readModel.close();
    await store.close();
  });

  it('catches an empty read model up from the chain, and then adds only what is new', async () => {
    const { store, readModelAt } = fresh();
    const first = readModelAt('first.db');
    await new AuditWriter(store, first, logger).write([record('a'), record('b')]);
    // As after a crash between the append and the read model's write: the chain holds more.
    const second = readModelAt('second.db');
    const writer = new AuditWriter(store, second, logger);
    expect(await writer.catchUp()).toMatchObject({ seq: 2 });
    await writer.write([record('b'), record('c')]);
    expect(await actorsOf(second)).toEqual(['a', 'b', 'c']);
    expect(await first.chain(1, 10)).toEqual((await second.chain(1, 10)).slice(0, 2));
    await first.close();
    await second.close();
    await store.close();
  });

  it('links new records to the chain as the event store holds it, not to an edited read model', async () => {
    const { store, readModelAt, path } = fresh();
    const readModel = readModelAt('audit.db');
    await new AuditWriter(store, readModel, logger).write([record('a'), record('b')]);
    const raw = new Database(path('audit.db'));
    raw.prepare('UPDATE audit_records SET hash = ? WHERE seq = 2').run('f'.repeat(64));
    raw.close();
    await new AuditWriter(store, readModel, logger).write([record('c')]);
    expect(await verifyAuditLog(readModel, admin)).toEqual({
      ok: true,
      value: {
        ok: false,
        records: 3,
        first_broken: { seq: 2, audit_id: auditIdOf('b'), reason: 'hash_mismatch' },
      },
    });
    await readModel.close();
    await store.close();
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll } from 'vitest';
import { describeAuditReadModel } from './conformance';
import { SqliteAuditReadModel } from './sqlite-audit-read-model';

const directory = mkdtempSync(join(tmpdir(), 'audit-read-model-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

let files = 0;
describeAuditReadModel('SQLite', async () => {
  const path = join(directory, `audit-${++files}.db`);
  return {
    readModel: SqliteAuditReadModel.open(path),
    async editActor(seq, actor) {
      const db = new Database(path);
      db.prepare('UPDATE audit_records SET actor = ? WHERE seq = ?').run(actor, seq);
      db.close();
    },
  };
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describeAuditLog } from './audit';
import { startEmbeddedHarness } from './embedded';

describeAuditLog(
  'audit log on the embedded platform',
  async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'chat-audit-'));
    let harness = await startEmbeddedHarness({}, { dataDir });
    return {
      harness: () => harness,
      // The gateway stops with the process: start the platform again on the same data.
      async restartGateways() {
        await harness.stop();
        harness = await startEmbeddedHarness({}, { dataDir });
      },
      async editActor(auditId, actor) {
        const db = new Database(join(dataDir, 'message', 'audit.db'));
        db.prepare('UPDATE audit_records SET actor = ? WHERE audit_id = ?').run(actor, auditId);
        db.close();
      },
      async stop() {
        await harness.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  },
  10_000,
);

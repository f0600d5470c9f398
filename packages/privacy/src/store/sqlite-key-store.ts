import { openSqliteFile, prepareStatements, type Statements } from '@chat/sqlite';
import type Database from 'better-sqlite3';
import type { GoneReason, KekCheck, KeyLookup, KeyStore, WrappedKey } from './port';

const SCHEMA = `
  -- A live key has kek_id and wrapped; a destroyed one has neither, and says why it is gone.
  CREATE TABLE IF NOT EXISTS data_keys (
    key_id TEXT PRIMARY KEY,
    scope TEXT NOT NULL,
    user_id TEXT NOT NULL,
    period INTEGER NOT NULL,
    kek_id TEXT,
    wrapped TEXT,
    gone TEXT,
    destroyed_at TEXT
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS data_keys_by_user ON data_keys (user_id);
  CREATE INDEX IF NOT EXISTS data_keys_by_scope ON data_keys (scope, period);
  CREATE INDEX IF NOT EXISTS data_keys_by_kek ON data_keys (kek_id, key_id);
  CREATE TABLE IF NOT EXISTS kek (id INTEGER PRIMARY KEY CHECK (id = 1), kek_id TEXT NOT NULL);
`;

const SQL = {
  insert: `
    INSERT INTO data_keys (key_id, scope, user_id, period, kek_id, wrapped)
    VALUES (@key_id, @scope, @user_id, @period, @kek_id, @wrapped) ON CONFLICT (key_id) DO NOTHING`,
  get: 'SELECT key_id, scope, user_id, period, kek_id, wrapped, gone FROM data_keys WHERE key_id = @key_id',
  destroyByUser: `
    UPDATE data_keys SET kek_id = NULL, wrapped = NULL, gone = 'erased', destroyed_at = @at
    WHERE user_id = @user_id AND gone IS NULL`,
  destroyScopeBefore: `
    UPDATE data_keys SET kek_id = NULL, wrapped = NULL, gone = 'expired', destroyed_at = @at
    WHERE scope = @scope AND period < @period AND gone IS NULL`,
  listUnder: `
    SELECT key_id, scope, user_id, period, kek_id, wrapped FROM data_keys
    WHERE kek_id = @kek_id AND key_id > @after ORDER BY key_id LIMIT @limit`,
  rewrap: `
    UPDATE data_keys SET kek_id = @to_kek_id, wrapped = @wrapped
    WHERE key_id = @key_id AND kek_id = @from_kek_id`,
  recordKekOnce: 'INSERT INTO kek (id, kek_id) VALUES (1, @kek_id) ON CONFLICT (id) DO NOTHING',
  recordKek:
    'INSERT INTO kek (id, kek_id) VALUES (1, @kek_id) ON CONFLICT (id) DO UPDATE SET kek_id = excluded.kek_id',
  kek: 'SELECT kek_id FROM kek WHERE id = 1',
} as const;

interface KeyRow {
  key_id: string;
  scope: string;
  user_id: string;
  period: number;
  kek_id: string | null;
  wrapped: string | null;
  gone: GoneReason | null;
}

const lookupOf = (row: KeyRow | undefined): KeyLookup => {
  if (!row) return { status: 'missing' };
  if (row.gone) return { status: 'gone', reason: row.gone };
  const { gone: _gone, ...key } = row;
  return { status: 'live', key: key as WrappedKey };
};

/**
 * The key store in one SQLite file (embedded run). `secure_delete` overwrites a destroyed key's
 * bytes in the file instead of leaving them on a free page.
 */
export class SqliteKeyStore implements KeyStore {
  private readonly statements: Statements<typeof SQL>;

  private constructor(private readonly db: Database.Database) {
    db.pragma('secure_delete = ON');
    db.exec(SCHEMA);
    this.statements = prepareStatements(db, SQL);
  }

  static open(path: string): SqliteKeyStore {
    return new SqliteKeyStore(openSqliteFile(path));
  }

  async checkKek(kekId: string): Promise<KekCheck> {
    this.statements.recordKekOnce.run({ kek_id: kekId });
    const stored = (this.statements.kek.get() as { kek_id: string }).kek_id;
    return stored === kekId
      ? { ok: true }
      : { ok: false, code: 'wrong_encryption_key', stored_kek_id: stored, given_kek_id: kekId };
  }

  async getOrCreate(candidate: WrappedKey): Promise<KeyLookup & { status: 'live' | 'gone' }> {
    this.statements.insert.run(candidate);
    return lookupOf(this.statements.get.get({ key_id: candidate.key_id }) as KeyRow) as KeyLookup & {
      status: 'live' | 'gone';
    };
  }

  async get(keyId: string): Promise<KeyLookup> {
    return lookupOf(this.statements.get.get({ key_id: keyId }) as KeyRow | undefined);
  }

  async destroyByUser(userId: string): Promise<number> {
    return this.statements.destroyByUser.run({ user_id: userId, at: new Date().toISOString() }).changes;
  }

  async destroyScopeBefore(scope: string, period: number): Promise<number> {
    return this.statements.destroyScopeBefore.run({ scope, period, at: new Date().toISOString() }).changes;
  }

  async listWrappedUnder(kekId: string, limit: number, afterKeyId = ''): Promise<WrappedKey[]> {
    return this.statements.listUnder.all({ kek_id: kekId, after: afterKeyId, limit }) as WrappedKey[];
  }

  async rewrap(keyId: string, fromKekId: string, to: { kek_id: string; wrapped: string }): Promise<boolean> {
    const { changes } = this.statements.rewrap.run({
      key_id: keyId,
      from_kek_id: fromKekId,
      to_kek_id: to.kek_id,
      wrapped: to.wrapped,
    });
    return changes > 0;
  }

  async recordKek(kekId: string): Promise<void> {
    this.statements.recordKek.run({ kek_id: kekId });
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

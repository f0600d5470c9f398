import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

/** One prepared statement per name of a record of SQL texts. */
export type Statements<T> = { [K in keyof T]: Database.Statement };

/**
 * Opens (creating it and its directory if need be) the SQLite file at `path`, or an in-memory
 * database for `':memory:'`, in WAL mode with `synchronous = NORMAL` as every embedded store uses.
 */
export const openSqliteFile = (path: string): Database.Database => {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  return db;
};

/** Prepares every statement of `sql` on `db`, under the same names. */
export const prepareStatements = <T extends Record<string, string>>(
  db: Database.Database,
  sql: T,
): Statements<T> =>
  Object.fromEntries(Object.entries(sql).map(([name, text]) => [name, db.prepare(text)])) as Statements<T>;

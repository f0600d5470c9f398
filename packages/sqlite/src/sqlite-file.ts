import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

/** One prepared statement per name of a record of SQL texts. */
export type Statements<T> = { [K in keyof T]: Database.Statement };

/**
 * Opens (creating it and its directory if need be) the SQLite file at `path`, or an in-memory
 * database for `':memory:'`, as every embedded store uses it: WAL, so readers run while a writer
 * appends; `synchronous = NORMAL`, so commits survive a process crash and only the last few may
 * be lost to a power cut (no fsync per commit); and a busy timeout, so a writer waits for another
 * process's transaction instead of failing.
 */
export const openSqliteFile = (path: string): Database.Database => {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  return db;
};

/** Prepares every statement of `sql` on `db`, under the same names. */
export const prepareStatements = <T extends Record<string, string>>(
  db: Database.Database,
  sql: T,
): Statements<T> =>
  Object.fromEntries(Object.entries(sql).map(([name, text]) => [name, db.prepare(text)])) as Statements<T>;

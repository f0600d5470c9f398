import { existsSync, readFileSync } from 'node:fs';

/**
 * Which of an SQLite database's files (the database, its write-ahead log) hold `text` as raw
 * bytes, wherever it lies: in a row, a free page, an old page of the log. What an erasure must
 * leave nowhere.
 */
export const sqliteFilesHolding = (path: string, text: string): string[] =>
  [path, `${path}-wal`].filter((file) => existsSync(file) && readFileSync(file).includes(text));

import { describe, expect, it } from 'vitest';
import { openSqliteFile } from './sqlite-file';
import { TurnTransactions } from './turn-transactions';

const open = () => {
  const db = openSqliteFile(':memory:');
  db.exec('CREATE TABLE rows (n INTEGER PRIMARY KEY)');
  return { db, insert: db.prepare('INSERT INTO rows (n) VALUES (?)') };
};

describe('writes of one turn of the event loop', () => {
  it('commit together, in the order they were asked, each with its own result', async () => {
    const { db, insert } = open();
    const transactions = new TurnTransactions(db);
    const results = await Promise.all([1, 2, 3].map((n) => transactions.run(() => insert.run(n).changes)));
    expect(results).toEqual([1, 1, 1]);
    expect(db.prepare('SELECT n FROM rows ORDER BY rowid').pluck().all()).toEqual([1, 2, 3]);
  });

  it('undo a write that throws alone, and reject only its caller', async () => {
    const { db, insert } = open();
    const transactions = new TurnTransactions(db);
    const first = transactions.run(() => insert.run(1));
    const failing = transactions.run(() => {
      insert.run(2);
      insert.run(1); // the primary key refuses it: this write's first row goes too
    });
    const last = transactions.run(() => insert.run(3));
    await expect(first).resolves.toBeDefined();
    await expect(failing).rejects.toThrow(/UNIQUE/);
    await expect(last).resolves.toBeDefined();
    expect(db.prepare('SELECT n FROM rows ORDER BY n').pluck().all()).toEqual([1, 3]);
  });

  it('is one transaction: what one write sees includes what earlier writes of the turn did', async () => {
    const { db, insert } = open();
    const transactions = new TurnTransactions(db);
    const count = db.prepare('SELECT count(*) FROM rows').pluck();
    const seen = await Promise.all([
      transactions.run(() => insert.run(1) && count.get()),
      transactions.run(() => insert.run(2) && count.get()),
    ]);
    expect(seen).toEqual([1, 2]);
    await transactions.flushed();
    expect(count.get()).toBe(2);
  });
});

import type Database from 'better-sqlite3';

/**
 * How long after a commit the next one waits, at most, gathering writes. Under load it turns
 * hundreds of small commits a second into a few large ones; when idle a write is committed in the
 * next turn of the event loop, at once.
 */
const LINGER_MS = 2;

interface Queued {
  work: () => unknown;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * Runs the writes asked of one database within a turn of the event loop (or the linger after a
 * commit) as one transaction, each in a savepoint of its own: a write that throws is undone alone
 * and rejects its caller, the others commit together. A commit costs far more than a row — it
 * writes every page touched to the WAL — and in a busy process every partition's consumer writes
 * at about the same time, so this is where the batches of the whole process meet. IMMEDIATE takes
 * the write lock up front, so two processes writing at once queue on the busy timeout instead of
 * failing to upgrade a lock.
 */
export class TurnTransactions {
  private queue: Queued[] = [];
  private flushing: Promise<void> | null = null;
  private lastCommit = 0;
  private readonly inSavepoint: (work: () => unknown) => unknown;
  private readonly allInOne: Database.Transaction<(batch: Queued[]) => Outcome[]>;

  constructor(db: Database.Database) {
    // Nested in the outer transaction, better-sqlite3 runs it in a savepoint.
    this.inSavepoint = db.transaction((work: () => unknown) => work());
    this.allInOne = db.transaction((batch: Queued[]) =>
      batch.map(({ work }): Outcome => {
        try {
          return { ok: true, value: this.inSavepoint(work) };
        } catch (error) {
          return { ok: false, error };
        }
      }),
    );
  }

  /** Resolves with what `work` returned once its transaction committed. */
  run<T>(work: () => T): Promise<T> {
    const done = new Promise<T>((resolve, reject) =>
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject }),
    );
    this.flushing ??= new Promise((flushed) => {
      const commit = () => {
        this.commit();
        flushed();
      };
      const wait = this.lastCommit + LINGER_MS - performance.now();
      if (wait > 0) setTimeout(commit, wait);
      else setImmediate(commit);
    });
    return done;
  }

  /** Resolves once everything asked so far has committed (or failed). */
  async flushed(): Promise<void> {
    await this.flushing;
  }

  private commit(): void {
    const batch = this.queue;
    this.queue = [];
    this.flushing = null;
    this.lastCommit = performance.now();
    let outcomes: Outcome[];
    try {
      outcomes = this.allInOne.immediate(batch);
    } catch (error) {
      for (const { reject } of batch) reject(error);
      return;
    }
    batch.forEach(({ resolve, reject }, index) => {
      const outcome = outcomes[index]!;
      if (outcome.ok) resolve(outcome.value);
      else reject(outcome.error);
    });
  }
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

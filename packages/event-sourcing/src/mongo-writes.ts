import {
  MongoBulkWriteError,
  MongoServerError,
  type AnyBulkWriteOperation,
  type BulkWriteOptions,
  type Collection,
  type Document,
  type OptionalUnlessRequiredId,
} from 'mongodb';

const DUPLICATE_KEY = 11000;

/** The write failed only because a unique index already holds the document (or the upsert lost a race). */
export const isDuplicateKey = (error: unknown): boolean =>
  error instanceof MongoServerError && error.code === DUPLICATE_KEY;

/**
 * Inserts, in one unordered insert, the documents a unique index does not already hold. A
 * duplicate is the same fact written by an earlier, interrupted delivery, so it is skipped; any
 * other failure is thrown.
 */
export const insertNew = async <T extends object>(
  collection: Collection<T>,
  docs: OptionalUnlessRequiredId<T>[],
): Promise<void> => {
  if (docs.length === 0) return;
  try {
    await collection.insertMany(docs, { ordered: false });
  } catch (error) {
    const onlyDuplicates =
      error instanceof MongoBulkWriteError &&
      error.result.getWriteConcernError() === undefined &&
      error.result.hasWriteErrors() &&
      error.result.getWriteErrors().every((each) => each.code === DUPLICATE_KEY);
    if (!onlyDuplicates) throw error;
  }
};

/**
 * Update statements per bulk command. FerretDB 1.24 holds one SQLite connection (of 100 per
 * database) for every document a command's statements match, until the command ends: a bulk of a
 * hundred matching statements hangs the whole database — every service sharing it — for good.
 */
export const STATEMENTS_PER_COMMAND = 25;

/** Runs the operations in order, in bulk commands of at most `STATEMENTS_PER_COMMAND`. */
export const bulkWriteInChunks = async <T extends Document>(
  collection: Collection<T>,
  operations: AnyBulkWriteOperation<T>[],
  options: BulkWriteOptions = { ordered: true },
): Promise<void> => {
  for (let start = 0; start < operations.length; start += STATEMENTS_PER_COMMAND) {
    await collection.bulkWrite(operations.slice(start, start + STATEMENTS_PER_COMMAND), options);
  }
};

import {
  MongoBulkWriteError,
  MongoServerError,
  type Collection,
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

/** A stream and the revision of one of its events. */
export interface StreamRevision {
  stream: string;
  revision: number;
}

/** What one event changes in a read model, at its stream revision. */
export interface AtRevision {
  at: StreamRevision;
}

/**
 * The entries to apply: in order, each above its stream's applied revision and above every
 * earlier entry of the same stream. `applied` gives what a stream had applied before the batch.
 */
export const freshEntries = <T extends AtRevision>(
  entries: T[],
  applied: (stream: string) => number | null,
): boolean[] => {
  const newest = new Map<string, number>();
  return entries.map(({ at }) => {
    const before = newest.has(at.stream) ? newest.get(at.stream)! : (applied(at.stream) ?? -1);
    if (at.revision <= before) return false;
    newest.set(at.stream, at.revision);
    return true;
  });
};

/** The newest revision of each stream among the entries. */
export const newestRevisions = <T extends AtRevision>(entries: T[]): StreamRevision[] => {
  const newest = new Map<string, number>();
  for (const { at } of entries) newest.set(at.stream, Math.max(at.revision, newest.get(at.stream) ?? -1));
  return [...newest].map(([stream, revision]) => ({ stream, revision }));
};

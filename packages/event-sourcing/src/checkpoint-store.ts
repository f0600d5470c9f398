/**
 * Where a relay remembers how far it got, so it resumes there after a restart, and who runs it:
 * one relay per service, by a lease on the checkpoint's name. Only the lease holder moves the
 * checkpoint, and only forward (positions ordered by `comparePositions`), so a relay that lost
 * its lease — stalled past the expiry while another took over — can never set it back.
 */
export interface CheckpointStore {
  /**
   * Takes or renews the lease for `ttlMs` if it is free, expired, already `owner`'s, or held by
   * `replacing` (a holder known to be dead, whose lease need not be waited out).
   */
  acquire(name: string, owner: string, ttlMs: number, replacing?: string): Promise<boolean>;
  /** Who holds the lease now (expired or not), if anyone. */
  holder(name: string): Promise<string | undefined>;
  /** Gives up `owner`'s lease (nothing if another holds it). */
  release(name: string, owner: string): Promise<void>;
  load(name: string): Promise<string | undefined>;
  /**
   * Moves the checkpoint to `position` if `owner` holds the lease and `position` is not behind
   * it; false when the lease is lost (the caller must stop). A lease that ran out is still its
   * holder's until another takes it: a renewal slowed by a loaded database must not stop a relay
   * no one is replacing, and a successor's `acquire` fences the old holder off all the same.
   */
  save(name: string, position: string, owner: string): Promise<boolean>;
}

import type { BusLogger } from '../logger';
import { isDeadLocalOwner, leaseOwnerName } from '../owners';
import type { GroupPartition, SqliteLog } from './sqlite-log';
import { every } from '../timers';

/** A crashed process's partitions are taken over once its leases expire (at once when it ran on this host). */
const LEASE_TTL_MS = 10_000;
const RENEW_EVERY_MS = 2_000;

/**
 * The cross-process rule: a group's partition is consumed by the bus instance holding its lease.
 * Leases are renewed in the background while held and released when the partition is let go;
 * an instance that stops renewing (crashed, or stalled past the expiry) loses them.
 */
export class PartitionLeases {
  readonly owner = leaseOwnerName();
  private readonly renewal: NodeJS.Timeout;

  constructor(
    private readonly log: SqliteLog,
    logger: BusLogger | undefined,
  ) {
    this.renewal = every(
      RENEW_EVERY_MS,
      () => log.renewLeases(this.owner, Date.now() + LEASE_TTL_MS),
      (error) => logger?.error({ error }, 'embedded bus: renewing partition leases failed'),
    );
  }

  acquire(at: GroupPartition): boolean {
    if (this.tryAcquire(at)) return true;
    const holder = this.log.leaseOwner(at);
    if (holder === undefined || !isDeadLocalOwner(holder)) return false;
    this.log.dropLeasesOf(holder);
    return this.tryAcquire(at);
  }

  private tryAcquire(at: GroupPartition): boolean {
    const now = Date.now();
    return this.log.acquireLease(at, this.owner, now, now + LEASE_TTL_MS);
  }

  /** Commits the group's offset unless the lease was lost meanwhile. */
  commit(at: GroupPartition, nextOffset: number): Promise<boolean> {
    return this.log.commitIfLeased({ at, owner: this.owner, nextOffset });
  }

  release(at: GroupPartition): void {
    this.log.releaseLease(at, this.owner);
  }

  close(): void {
    clearInterval(this.renewal);
  }
}

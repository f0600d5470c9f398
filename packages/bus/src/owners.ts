import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

const HOST = hostname();

/**
 * A name for whoever holds a lease (a partition, a relay): its host and process, so that a lease
 * left by a process that died on this host can be taken over at once instead of at its expiry.
 */
export const leaseOwnerName = (): string => `${HOST}/${process.pid}/${randomUUID()}`;

/** Whether the owner named a process of this host that no longer runs. */
export const isDeadLocalOwner = (owner: string): boolean => {
  const [host, pid] = owner.split('/');
  if (host !== HOST || !pid || Number(pid) === process.pid) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
};

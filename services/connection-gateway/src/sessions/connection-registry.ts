/**
 * Counts a user's live connections across the fleet, for `max_connections_per_user`. In memory
 * for one process; a Redis adapter shares the count between gateway instances.
 */
export interface ConnectionRegistry {
  /** Registers the connection if the user has fewer than `limit`; false otherwise. */
  acquire(userId: string, connectionId: string, limit: number): Promise<boolean>;
  release(userId: string, connectionId: string): Promise<void>;
}

export class InMemoryConnectionRegistry implements ConnectionRegistry {
  private readonly byUser = new Map<string, Set<string>>();

  async acquire(userId: string, connectionId: string, limit: number): Promise<boolean> {
    const connections = this.byUser.get(userId) ?? new Set<string>();
    if (connections.has(connectionId)) return true;
    if (connections.size >= limit) return false;
    connections.add(connectionId);
    this.byUser.set(userId, connections);
    return true;
  }

  async release(userId: string, connectionId: string): Promise<void> {
    const connections = this.byUser.get(userId);
    if (!connections) return;
    connections.delete(connectionId);
    if (connections.size === 0) this.byUser.delete(userId);
  }
}

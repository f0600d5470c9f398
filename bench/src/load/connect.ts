import type { ErrorCounts } from '../measure/counters';
import { benchToken, type Target } from '../targets/target';
import { BenchClient } from './client';

/**
 * Clients connect from 127.0.0.1, 127.0.0.2, … in turn. A TCP connection is named by its four
 * addresses and ports, so each source address has its own ~28k ephemeral ports towards one
 * server port: spreading over several lets one target take more connections than that. Linux
 * routes all of 127.0.0.0/8 to the loopback interface; nothing has to be configured.
 */
export const sourceAddress = (index: number, sources: number): string => `127.0.0.${1 + (index % sources)}`;

/** Runs `work` over `items` with at most `concurrency` in flight. */
export const inPool = async <T>(
  items: T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> => {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
};

export interface ConnectOptions {
  /** Handshakes in flight at once (a storm passes Infinity). */
  concurrency: number;
  sources: number;
  timeoutMs: number;
  errors: ErrorCounts;
  /** The first client's index: the user ids are `<prefix><index>`. */
  offset?: number;
  userPrefix?: string;
}

/** Signs the tokens of users `prefix0…` ahead of a measured phase. */
export const tokensFor = (userIds: string[]): Promise<string[]> => Promise.all(userIds.map(benchToken));

/**
 * Opens and authenticates `count` clients; those that failed are left out (their errors are
 * counted). Each client is a user of its own: `u<index>` unless a prefix is given.
 */
export const connectClients = async (
  target: Target,
  count: number,
  options: ConnectOptions,
): Promise<BenchClient[]> => {
  const offset = options.offset ?? 0;
  const userIds = Array.from(
    { length: count },
    (_, index) => `${options.userPrefix ?? 'u'}${offset + index}`,
  );
  const tokens = await tokensFor(userIds);
  const clients: (BenchClient | null)[] = new Array(count).fill(null);
  await inPool(userIds, options.concurrency, async (userId, index) => {
    const global = offset + index;
    const client = new BenchClient(global, userId, options.errors);
    try {
      await client.start(
        target.wire,
        target.wsUrls[global % target.wsUrls.length]!,
        sourceAddress(global, options.sources),
        tokens[index]!,
        options.timeoutMs,
      );
      clients[index] = client;
    } catch {
      client.close();
    }
  });
  return clients.filter((client): client is BenchClient => client !== null);
};

export const closeAll = (clients: BenchClient[]): void => {
  for (const client of clients) client.close();
};

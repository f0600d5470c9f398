import { roomStream } from '@chat/contracts';
import type { Fleet } from '@chat/e2e/fleet';
import { openEventStoreFromEnv } from '@chat/eventstore/from-env';
import { createLogger } from '@chat/runtime';
import { inPool } from '../load/connect';
import { benchToken } from '../targets/target';
import type { Ledger, SentMessage } from './ledger';
import type { ChaosMember } from './member';
import type { StoredMessage } from './verdict';

/**
 * After the load: waiting for what is still in flight, and reading the rooms' histories back,
 * which the verdicts judge the clients' records against.
 */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The newest acknowledged seq of each room. */
export const newestAcked = (messages: Iterable<SentMessage>) => {
  const newest = new Map<string, number>();
  for (const { roomId, ackSeq } of messages) {
    if (ackSeq !== null) newest.set(roomId, Math.max(newest.get(roomId) ?? 0, ackSeq));
  }
  return newest;
};

/**
 * Every room's messages as the message service's event store holds them — the record every read
 * model is built from, so what it lacks is lost. Read directly (the fleet's event store, as its
 * environment names it), not over REST: a read model under load answers 190,000 messages far too
 * slowly (RELIABILITY.md, finding 4).
 */
export const storedHistories = async (
  fleet: Fleet,
  roomIds: string[],
): Promise<Map<string, StoredMessage[]>> => {
  const store = await openEventStoreFromEnv(fleet.env, {
    service: 'message',
    logger: createLogger('chaos', 'silent'),
  });
  try {
    const histories = new Map<string, StoredMessage[]>();
    for (const roomId of roomIds) {
      const messages: StoredMessage[] = [];
      for await (const event of store.readStream(roomStream(roomId))) {
        if (event.type !== 'MessageSent') continue;
        const { seq, client_msg_id } = event.data as StoredMessage;
        messages.push({ seq, client_msg_id });
      }
      histories.set(roomId, messages);
    }
    return histories;
  } finally {
    await store.close();
  }
};

/** The seq of a room's newest message as its owner reads it over REST (0: none). */
const newestInReadModel = async (apiUrl: string, ownerId: string, roomId: string): Promise<number> => {
  const response = await fetch(`${apiUrl}/api/rooms/${roomId}/messages?limit=1`, {
    headers: { authorization: `Bearer ${await benchToken(ownerId)}` },
    // A page of history from FerretDB on a busy machine has taken 15–20 s (RELIABILITY.md).
    signal: AbortSignal.timeout(60_000),
  });
  if (response.status !== 200) throw new Error(`history of ${roomId}: ${response.status}`);
  const page = (await response.json()) as { messages: StoredMessage[] };
  return page.messages.at(-1)?.seq ?? 0;
};

/** Whether the read model shows every room's newest acknowledged seq, and why not (the first errors). */
export interface ReadModelCheck {
  caughtUp: boolean;
  errors: string[];
}

/**
 * Waits (bounded) until the read model behind the history API shows every room's newest
 * acknowledged message: a projection that stays behind is a finding of its own, apart from loss.
 */
export const readModelCaughtUp = async (
  fleet: Fleet,
  owners: Map<string, string>,
  ledger: Ledger,
  timeoutMs: number,
): Promise<ReadModelCheck> => {
  const newest = newestAcked(ledger.messages.values());
  const behind = new Set(owners.keys());
  const errors = new Set<string>();
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    await inPool([...behind], 4, async (roomId) => {
      if (performance.now() > deadline) return;
      const shown = await newestInReadModel(fleet.apiUrl, owners.get(roomId)!, roomId).catch(
        (error: unknown) => {
          if (errors.size < 5) errors.add((error as Error).message);
          return 0;
        },
      );
      if (shown >= (newest.get(roomId) ?? 0)) behind.delete(roomId);
    });
    if (behind.size === 0 || performance.now() > deadline) {
      return { caughtUp: behind.size === 0, errors: [...errors] };
    }
    await sleep(1_000);
  }
};

export const membersBehind = (members: ChaosMember[], ledger: Ledger) => {
  const newest = newestAcked(ledger.messages.values());
  return members
    .filter((member) => member.pending > 0 || member.lastSeq < (newest.get(member.roomId) ?? 0))
    .slice(0, 20)
    .map((member) => ({
      member: member.index,
      room_id: member.roomId,
      last_seq: member.lastSeq,
      newest_acked: newest.get(member.roomId) ?? 0,
      pending: member.pending,
      connected: member.connected,
      gateway: member.url,
      reconnects: member.reconnects,
    }));
};

/** Waits (bounded) until no member has a send in flight and every member has its room's newest acked seq. */
export const drain = async (members: ChaosMember[], ledger: Ledger, timeoutMs: number) => {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const newest = newestAcked(ledger.messages.values());
    const settled = members.every(
      (member) => member.pending === 0 && member.lastSeq >= (newest.get(member.roomId) ?? 0),
    );
    if (settled) return;
    await sleep(500);
  }
};

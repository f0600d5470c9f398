import type { Fleet } from '@chat/e2e/fleet';
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

/** A room's history after `messages` over REST, page by page, as its owner reads it, appended to them. */
const readHistory = async (apiUrl: string, ownerId: string, roomId: string, messages: StoredMessage[]) => {
  const authorization = `Bearer ${await benchToken(ownerId)}`;
  for (;;) {
    const after = messages.at(-1)?.seq ?? 0;
    const response = await fetch(`${apiUrl}/api/rooms/${roomId}/messages?after_seq=${after}&limit=200`, {
      headers: { authorization },
      // A page of history from FerretDB on a busy machine has taken 15–20 s (RELIABILITY.md).
      signal: AbortSignal.timeout(60_000),
    });
    if (response.status !== 200) throw new Error(`history of ${roomId}: ${response.status}`);
    const page = (await response.json()) as { messages: StoredMessage[]; has_more: boolean };
    messages.push(...page.messages.map(({ seq, client_msg_id }) => ({ seq, client_msg_id })));
    if (!page.has_more) return;
  }
};

/** The newest acknowledged seq of each room. */
export const newestAcked = (messages: Iterable<SentMessage>) => {
  const newest = new Map<string, number>();
  for (const { roomId, ackSeq } of messages) {
    if (ackSeq !== null) newest.set(roomId, Math.max(newest.get(roomId) ?? 0, ackSeq));
  }
  return newest;
};

/** The rooms' histories, whether they hold every acknowledged seq, and why not (the first errors). */
export interface HistoryRead {
  histories: Map<string, StoredMessage[]>;
  caughtUp: boolean;
  errors: string[];
}

/**
 * Histories once the read model holds every acknowledged seq (bounded: what is missing then is
 * lost). Each pass reads on from where the previous one stopped: history only grows.
 */
export const finalHistories = async (
  fleet: Fleet,
  owners: Map<string, string>,
  ledger: Ledger,
  timeoutMs: number,
): Promise<HistoryRead> => {
  const newest = newestAcked(ledger.messages.values());
  const histories = new Map([...owners.keys()].map((roomId) => [roomId, [] as StoredMessage[]]));
  const errors = new Set<string>();
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    await inPool([...owners], 4, async ([roomId, owner]) => {
      if (performance.now() > deadline) return;
      await readHistory(fleet.apiUrl, owner, roomId, histories.get(roomId)!).catch((error: unknown) => {
        if (errors.size < 5) errors.add((error as Error).message);
      });
    });
    const caughtUp = [...newest].every(([roomId, seq]) => (histories.get(roomId)!.at(-1)?.seq ?? 0) >= seq);
    if (caughtUp || performance.now() > deadline) return { histories, caughtUp, errors: [...errors] };
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

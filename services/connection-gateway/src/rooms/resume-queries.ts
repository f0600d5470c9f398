import type { Bus } from '@chat/bus';
import { Topics, type Outcome, type ResumeQuery } from '@chat/contracts';
import type { Connection } from '../sessions/connection';

type Page = Extract<Outcome, { kind: 'resume_page' }>;

export interface OpenQuery {
  connection: Connection;
  roomId: string;
  afterSeq: number;
  /** When the whole resume gives up: history that never catches up must not hang a join. */
  deadline: number;
}

const PAGE_SIZE = 200;

/**
 * How long a page may take before the query is taken for lost. A query published while the
 * message service restarts, or answered while this gateway's outcome consumer was not yet
 * listening, is never answered: without this the connection would stay out of the room's live
 * stream, with no error, until it reconnected.
 */
export const PAGE_ANSWER_TIMEOUT_MS = 3_000;

/** History reads this gateway asked the message service for, by query id. */
export class ResumeQueries {
  private readonly open = new Map<string, OpenQuery & { timer: NodeJS.Timeout }>();

  /** @param onSilence called with a query no page answered in time (see `resume-answers.ts`). */
  constructor(
    private readonly bus: Bus,
    private readonly instanceId: string,
    private readonly onSilence: (query: OpenQuery) => void,
  ) {}

  async ask(connection: Connection, roomId: string, afterSeq: number, deadline: number): Promise<void> {
    const userId = connection.principal!.userId;
    const wait = Math.max(0, Math.min(PAGE_ANSWER_TIMEOUT_MS, deadline - Date.now()));
    const query: ResumeQuery = {
      query_id: crypto.randomUUID(),
      reply_to: this.instanceId,
      room_id: roomId,
      user_id: userId,
      after_seq: afterSeq,
      limit: PAGE_SIZE,
      expires_at: new Date(Date.now() + wait).toISOString(),
    };
    const open = { connection, roomId, afterSeq, deadline };
    const timer = setTimeout(() => {
      if (this.open.delete(query.query_id)) this.onSilence(open);
    }, wait);
    this.open.set(query.query_id, { ...open, timer });
    await this.bus.publish(Topics.messageQueries, [{ key: roomId, value: JSON.stringify(query) }]);
  }

  /** The open query a page answers, removed from the open set; undefined if not ours. */
  take(answer: Page | Extract<Outcome, { kind: 'resume_refused' }>): OpenQuery | undefined {
    if (answer.reply_to !== this.instanceId) return undefined;
    const query = this.open.get(answer.query_id);
    if (!query) return undefined;
    clearTimeout(query.timer);
    this.open.delete(answer.query_id);
    return query;
  }

  forget(connection: Connection): void {
    for (const [id, query] of this.open) {
      if (query.connection !== connection) continue;
      clearTimeout(query.timer);
      this.open.delete(id);
    }
  }
}

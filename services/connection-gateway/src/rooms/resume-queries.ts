import type { Bus } from '@chat/bus';
import { Topics, type Outcome, type ResumeQuery } from '@chat/contracts';
import type { Connection } from '../sessions/connection';

type Page = Extract<Outcome, { kind: 'resume_page' }>;

interface OpenQuery {
  connection: Connection;
  roomId: string;
  /** When the whole resume gives up: history that never catches up must not hang a join. */
  deadline: number;
}

const PAGE_SIZE = 200;

/** History reads this gateway asked the message service for, by query id. */
export class ResumeQueries {
  private readonly open = new Map<string, OpenQuery>();

  constructor(
    private readonly bus: Bus,
    private readonly instanceId: string,
  ) {}

  async ask(connection: Connection, roomId: string, afterSeq: number, deadline: number): Promise<void> {
    const userId = connection.principal!.userId;
    const query: ResumeQuery = {
      query_id: crypto.randomUUID(),
      reply_to: this.instanceId,
      room_id: roomId,
      user_id: userId,
      after_seq: afterSeq,
      limit: PAGE_SIZE,
    };
    this.open.set(query.query_id, { connection, roomId, deadline });
    await this.bus.publish(Topics.messageQueries, [{ key: roomId, value: JSON.stringify(query) }]);
  }

  /** The open query a page answers, removed from the open set; undefined if not ours. */
  take(answer: Page | Extract<Outcome, { kind: 'resume_refused' }>): OpenQuery | undefined {
    if (answer.reply_to !== this.instanceId) return undefined;
    const query = this.open.get(answer.query_id);
    this.open.delete(answer.query_id);
    return query;
  }

  forget(connection: Connection): void {
    for (const [id, query] of this.open) if (query.connection === connection) this.open.delete(id);
  }
}

import type { Outcome } from '@chat/contracts';
import type { GatewayContext } from '../context';
import type { OpenQuery } from '../rooms/resume-queries';
import type { Connection } from '../sessions/connection';

type ResumeAnswer = Extract<Outcome, { kind: 'resume_page' | 'resume_refused' }>;

/** A page that made no progress means history lags the fan-out: ask again shortly. */
const RETRY_DELAY_MS = 25;

/** Applies a history page that reached this gateway in fan-out order (see rooms/resume.ts). */
export const onResumeAnswer = (ctx: GatewayContext, answer: ResumeAnswer): void => {
  const query = ctx.resumeQueries.take(answer);
  if (!query) return;
  const { connection, roomId, deadline } = query;
  if (answer.kind === 'resume_refused') {
    ctx.fanout.abandonResume(connection, roomId);
    return ctx.outbox.error(connection, answer.code, answer.message, 'join_room');
  }
  ctx.metrics.resumePageMessages.observe(answer.messages.length);
  const next = ctx.fanout.applyPage(connection, roomId, answer.messages);
  if (!next) return;
  const ask = () => askAgain(ctx, { connection, roomId, afterSeq: next.afterSeq, deadline });
  if (next.progressed) ask();
  else setTimeout(ask, RETRY_DELAY_MS);
};

/** A query no page answered in time: asked again, until the resume's deadline. */
export const onResumeSilence = (ctx: GatewayContext, query: OpenQuery): void => askAgain(ctx, query);

const giveUp = (ctx: GatewayContext, connection: Connection, roomId: string, message: string): void => {
  ctx.fanout.abandonResume(connection, roomId);
  ctx.outbox.error(connection, 'unavailable', message, 'join_room');
};

const askAgain = (ctx: GatewayContext, { connection, roomId, afterSeq, deadline }: OpenQuery): void => {
  if (connection.closed || !connection.resumes.has(roomId)) return;
  if (Date.now() >= deadline)
    return giveUp(ctx, connection, roomId, 'History did not catch up in time; join again.');
  ctx.resumeQueries.ask(connection, roomId, afterSeq, deadline).catch((error: unknown) => {
    ctx.logger.error({ err: error, room_id: roomId }, 'resume query failed');
    giveUp(ctx, connection, roomId, 'History is unavailable; join again.');
  });
};

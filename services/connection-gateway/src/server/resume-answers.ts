import type { Outcome } from '@chat/contracts';
import type { GatewayContext } from '../context';

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
  const next = ctx.fanout.applyPage(connection, roomId, answer.messages);
  if (!next) return;
  if (Date.now() > deadline) {
    ctx.fanout.abandonResume(connection, roomId);
    return ctx.outbox.error(
      connection,
      'unavailable',
      'History did not catch up in time; join again.',
      'join_room',
    );
  }
  const ask = () => {
    if (connection.closed || !connection.resumes.has(roomId)) return;
    ctx.resumeQueries.ask(connection, roomId, next.afterSeq, deadline).catch((error: unknown) => {
      ctx.logger.error({ err: error, room_id: roomId }, 'resume query failed');
      ctx.fanout.abandonResume(connection, roomId);
      ctx.outbox.error(connection, 'unavailable', 'History is unavailable; join again.', 'join_room');
    });
  };
  if (next.progressed) ask();
  else setTimeout(ask, RETRY_DELAY_MS);
};

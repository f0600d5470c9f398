import { MentionsPage, MentionsQuery } from '@chat/contracts';
import { HttpRejection, type HttpApp } from '@chat/runtime';
import type { MentionPosition } from '../read-model/port';
import { errorResponses, viewerOf, type RestDeps } from '../rest/routing';

/** The cursor is where the page ended, opaque to clients. */
const cursorOf = ({ created_at, room_id, seq }: MentionPosition): string =>
  Buffer.from(JSON.stringify([created_at, room_id, seq])).toString('base64url');

const positionOf = (cursor: string): MentionPosition => {
  try {
    const [created_at, room_id, seq] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown[];
    if (typeof created_at === 'string' && typeof room_id === 'string' && Number.isInteger(seq)) {
      return { created_at, room_id, seq: seq as number };
    }
  } catch {
    // Not JSON: refused below like any other malformed cursor.
  }
  throw new HttpRejection('invalid_request', 'cursor is not one this API returned.');
};

export const registerMentionRoutes = (
  app: HttpApp,
  deps: Pick<RestDeps, 'readModel' | 'openMessages'>,
): void => {
  app.get(
    '/api/mentions',
    {
      schema: {
        tags: ['mentions'],
        summary: "The caller's recent mentions across rooms, newest first",
        description:
          'Messages whose content mentions the caller (`@user_id`, decided when sent), in the rooms the ' +
          'caller is a member of now; deleted messages drop out. Page on with `cursor`: the previous ' +
          "page's `next_cursor`.",
        querystring: MentionsQuery,
        response: { 200: MentionsPage, ...errorResponses() },
      },
    },
    async (request) => {
      const { limit = 20, cursor } = request.query;
      const after = cursor === undefined ? undefined : positionOf(cursor);
      // One more than asked: whether it comes back says if there is an older page.
      const found = await deps.readModel.listMentions(viewerOf(request).userId, limit + 1, after);
      const mentions = await deps.openMessages(found.slice(0, limit));
      const last = mentions.at(-1);
      return { mentions, next_cursor: found.length > limit && last ? cursorOf(last) : null };
    },
  );
};

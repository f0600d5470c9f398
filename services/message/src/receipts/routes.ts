import { Receipt, RoomParams } from '@chat/contracts';
import type { HttpApp } from '@chat/runtime';
import { Type } from '@sinclair/typebox';
import { errorResponses, orReject, viewerOf, type RestDeps } from '../rest/routing';
import { findMemberRoom } from '../rooms/queries';

export const registerReceiptRoutes = (app: HttpApp, deps: Pick<RestDeps, 'readModel'>): void => {
  const { readModel } = deps;
  app.get(
    '/api/rooms/:room_id/receipts',
    {
      schema: {
        tags: ['receipts'],
        summary: 'How far each member has read the room (members only)',
        description:
          'One receipt per current member who marked the room read (`mark_read`) and shows receipts ' +
          '(`PUT /api/notifications/settings {read_receipts}`), by user id.',
        params: RoomParams,
        response: { 200: Type.Array(Receipt), ...errorResponses(403, 404) },
      },
    },
    async (request) => {
      const { room_id } = request.params;
      orReject(await findMemberRoom(readModel, room_id, viewerOf(request)));
      const [receipts, members] = await Promise.all([
        readModel.listReceipts(room_id),
        readModel.listMembers(room_id),
      ]);
      const current = new Set(members.map((member) => member.user_id));
      return receipts.filter((receipt) => current.has(receipt.user_id));
    },
  );
};

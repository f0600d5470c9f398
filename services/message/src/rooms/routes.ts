import { randomInt } from 'node:crypto';
import {
  AddMemberBody,
  CreateRoomBody,
  Member,
  MemberParams,
  Room,
  RoomParams,
  UpdateRoomBody,
} from '@chat/contracts';
import { HttpRejection, type HttpApp } from '@chat/runtime';
import { Type } from '@sinclair/typebox';
import { errorResponses, orReject, runCommand, viewerOf, type RestDeps } from '../rest/routing';
import { findVisibleRoom } from './queries';
import type { RoomState } from './room';

const RoomList = Type.Object({ rooms: Type.Array(Room) });
const MemberList = Type.Object({ members: Type.Array(Member) });
const NoContent = Type.Null({ description: 'Done.' });

const DAY_MS = 24 * 60 * 60 * 1000;
const BASE36 = '0123456789abcdefghijklmnopqrstuvwxyz';
const newRoomId = () => `room-${Array.from({ length: 12 }, () => BASE36[randomInt(36)]).join('')}`;

/** A write's answer comes from the room's own state, right after the command. */
const roomOf = (roomId: string, state: RoomState, viewerId: string): Room => ({
  room_id: roomId,
  name: state.name,
  private: state.private,
  owner_id: state.ownerId,
  member_count: state.members.size,
  last_seq: state.lastSeq,
  created_at: state.createdAt,
  role: state.members.get(viewerId)?.role ?? null,
  kind: state.kind,
  ...(state.retentionDays === null ? {} : { retention_days: state.retentionDays }),
  ...(state.encryption === 'mls' ? { encryption: state.encryption } : {}),
  ...(state.kind === 'direct'
    ? {
        members: state.members
          .entries()
          .map(([userId]) => userId)
          .sort(),
      }
    : {}),
});

export const registerRoomRoutes = (app: HttpApp, deps: RestDeps): void => {
  const { readModel, settings } = deps;
  const tags = ['rooms'];

  app.post(
    '/api/rooms',
    {
      schema: {
        tags,
        summary: 'Create a room',
        body: CreateRoomBody,
        response: { 201: Room, ...errorResponses(429) },
      },
    },
    async (request, reply) => {
      const viewer = viewerOf(request);
      const limit = settings.rate_limiting.rooms_per_day;
      if ((await readModel.countRoomsCreatedBy(viewer.userId, new Date(Date.now() - DAY_MS))) >= limit) {
        throw new HttpRejection('rate_limited', `At most ${limit} rooms may be created per day.`);
      }
      const { name, private: isPrivate = false, members = [], retention_days, encryption } = request.body;
      const room_id = newRoomId();
      const { state } = await runCommand(deps, request, {
        type: 'CreateRoom',
        data: {
          room_id,
          name,
          private: isPrivate,
          members,
          ...(retention_days === undefined ? {} : { retention_days }),
          ...(encryption ? { encryption } : {}),
        },
      });
      return reply.code(201).send(roomOf(room_id, state, viewer.userId));
    },
  );

  app.get(
    '/api/rooms',
    {
      schema: { tags, summary: 'Rooms the caller can see', response: { 200: RoomList, ...errorResponses() } },
    },
    async (request) => ({ rooms: await readModel.listRoomsVisibleTo(viewerOf(request).userId) }),
  );

  app.get(
    '/api/rooms/:room_id',
    {
      schema: {
        tags,
        summary: 'A room',
        params: RoomParams,
        response: { 200: Room, ...errorResponses(404) },
      },
    },
    async (request) => orReject(await findVisibleRoom(readModel, request.params.room_id, viewerOf(request))),
  );

  app.put(
    '/api/rooms/:room_id',
    {
      schema: {
        tags,
        summary: 'Rename a room, change its privacy, content filter or retention (owner or administrator)',
        params: RoomParams,
        body: UpdateRoomBody,
        response: { 200: Room, ...errorResponses(403, 404) },
      },
    },
    async (request) => {
      const { room_id } = request.params;
      const { state } = await runCommand(deps, request, {
        type: 'UpdateRoom',
        data: { room_id, ...request.body },
      });
      return roomOf(room_id, state, viewerOf(request).userId);
    },
  );

  app.delete(
    '/api/rooms/:room_id',
    {
      schema: {
        tags,
        summary: 'Delete a room (owner or administrator)',
        params: RoomParams,
        response: { 204: NoContent, ...errorResponses(403, 404) },
      },
    },
    async (request, reply) => {
      await runCommand(deps, request, { type: 'DeleteRoom', data: request.params });
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/rooms/:room_id/join',
    {
      schema: {
        tags,
        summary: 'Join a public room',
        params: RoomParams,
        response: { 200: Room, ...errorResponses(403, 404) },
      },
    },
    async (request) => {
      const { state } = await runCommand(deps, request, { type: 'JoinRoom', data: request.params });
      return roomOf(request.params.room_id, state, viewerOf(request).userId);
    },
  );

  app.get(
    '/api/rooms/:room_id/members',
    {
      schema: {
        tags,
        summary: "A room's members",
        params: RoomParams,
        response: { 200: MemberList, ...errorResponses(404) },
      },
    },
    async (request) => {
      const room = orReject(await findVisibleRoom(readModel, request.params.room_id, viewerOf(request)));
      return { members: await readModel.listMembers(room.room_id) };
    },
  );

  app.post(
    '/api/rooms/:room_id/members',
    {
      schema: {
        tags,
        summary: 'Add a member (owner or administrator)',
        params: RoomParams,
        body: AddMemberBody,
        response: { 201: Member, ...errorResponses(403, 404) },
      },
    },
    async (request, reply) => {
      const { user_id } = request.body;
      const { state } = await runCommand(deps, request, {
        type: 'AddMember',
        data: { room_id: request.params.room_id, user_id },
      });
      return reply.code(201).send({ user_id, ...state.members.get(user_id)! });
    },
  );

  app.delete(
    '/api/rooms/:room_id/members/:user_id',
    {
      schema: {
        tags,
        summary: 'Remove a member (owner or administrator), or leave the room (oneself)',
        params: MemberParams,
        response: { 204: NoContent, ...errorResponses(403, 404) },
      },
    },
    async (request, reply) => {
      await runCommand(deps, request, { type: 'RemoveMember', data: request.params });
      return reply.code(204).send(null);
    },
  );
};

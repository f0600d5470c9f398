import {
  Ban,
  BanBody,
  BanList,
  ChangeRoleBody,
  Member,
  MemberParams,
  Mute,
  MuteBody,
  RoomContentFilter,
  RoomParams,
  roomStream,
} from '@chat/contracts';
import { HttpRejection, type HttpApp } from '@chat/runtime';
import { Type } from '@sinclair/typebox';
import { errorResponses, runCommand, viewerOf, type RestDeps } from '../rest/routing';
import { refuseNonModerator, refuseUnseen } from '@chat/room-access';
import { factsOf } from '../rooms/access';
import { bansInForce } from './decide';

const NoContent = Type.Null({ description: 'Done.' });

/** Roles, bans and mutes of a room, decided by the room's decider like every other room command. */
export const registerModerationRoutes = (app: HttpApp, deps: RestDeps): void => {
  const tags = ['moderation'];

  app.put(
    '/api/rooms/:room_id/members/:user_id/role',
    {
      schema: {
        tags,
        summary: "Change a member's role: moderator or member (owner or administrator)",
        params: MemberParams,
        body: ChangeRoleBody,
        response: { 200: Member, ...errorResponses(403, 404) },
      },
    },
    async (request) => {
      const { room_id, user_id } = request.params;
      const { state } = await runCommand(deps, request, {
        type: 'ChangeMemberRole',
        data: { room_id, user_id, role: request.body.role },
      });
      const { role, joined_at } = state.members.get(user_id)!;
      return { user_id, role, joined_at };
    },
  );

  app.post(
    '/api/rooms/:room_id/bans',
    {
      schema: {
        tags,
        summary: 'Ban a user from the room: a member is removed at once (moderators)',
        params: RoomParams,
        body: BanBody,
        response: { 201: Ban, ...errorResponses(403, 404) },
      },
    },
    async (request, reply) => {
      const { room_id } = request.params;
      const { state } = await runCommand(deps, request, {
        type: 'BanMember',
        data: { room_id, ...request.body },
      });
      return reply
        .code(201)
        .send({ user_id: request.body.user_id, ...state.bans.get(request.body.user_id)! });
    },
  );

  app.get(
    '/api/rooms/:room_id/bans',
    {
      schema: {
        tags,
        summary: "The room's bans in force (moderators)",
        params: RoomParams,
        response: { 200: BanList, ...errorResponses(403, 404) },
      },
    },
    async (request) => {
      const { room_id } = request.params;
      const { state } = await deps.rooms.load(roomStream(room_id));
      const now = new Date().toISOString();
      const refusal = refuseNonModerator(factsOf(state, now), viewerOf(request));
      if (refusal) throw new HttpRejection(refusal.code, refusal.message);
      return { bans: bansInForce(state, now) };
    },
  );

  app.get(
    '/api/rooms/:room_id/content-filter',
    {
      schema: {
        tags,
        summary: "The room's own content filter, added to the deployment's (whoever sees the room)",
        params: RoomParams,
        response: { 200: RoomContentFilter, ...errorResponses(403, 404) },
      },
    },
    async (request) => {
      const { state } = await deps.rooms.load(roomStream(request.params.room_id));
      const refusal = refuseUnseen(factsOf(state, new Date().toISOString()), viewerOf(request));
      if (refusal) throw new HttpRejection(refusal.code, refusal.message);
      return state.contentFilter.settings;
    },
  );

  app.delete(
    '/api/rooms/:room_id/bans/:user_id',
    {
      schema: {
        tags,
        summary: 'Lift a ban (moderators)',
        params: MemberParams,
        response: { 204: NoContent, ...errorResponses(403, 404) },
      },
    },
    async (request, reply) => {
      await runCommand(deps, request, { type: 'UnbanMember', data: request.params });
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/rooms/:room_id/mutes',
    {
      schema: {
        tags,
        summary: 'Mute a member: they read on but may not post, react or type (moderators)',
        params: RoomParams,
        body: MuteBody,
        response: { 201: Mute, ...errorResponses(403, 404) },
      },
    },
    async (request, reply) => {
      const { room_id } = request.params;
      const { state } = await runCommand(deps, request, {
        type: 'MuteMember',
        data: { room_id, ...request.body },
      });
      const { user_id } = request.body;
      return reply.code(201).send({ user_id, until: state.mutes.get(user_id)!.until });
    },
  );

  app.delete(
    '/api/rooms/:room_id/mutes/:user_id',
    {
      schema: {
        tags,
        summary: 'Lift a mute (moderators)',
        params: MemberParams,
        response: { 204: NoContent, ...errorResponses(403, 404) },
      },
    },
    async (request, reply) => {
      await runCommand(deps, request, { type: 'UnmuteMember', data: request.params });
      return reply.code(204).send(null);
    },
  );
};

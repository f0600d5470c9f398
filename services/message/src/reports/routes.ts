import {
  MessageParams,
  Report,
  ReportBody,
  ReportList,
  ReportParams,
  ReportsQuery,
  ResolveReportBody,
  roomStream,
} from '@chat/contracts';
import { refuseNonModerator, type Viewer } from '@chat/room-access';
import { HttpRejection, type HttpApp } from '@chat/runtime';
import { errorResponses, runCommand, viewerOf, type RestDeps } from '../rest/routing';
import { factsOf } from '../rooms/access';
import type { RoomState } from '../rooms/room';
import { reportNotFound } from './decide';
import { reportIdFor, roomOfReport } from './report-id';

const MODERATING = new Set(['owner', 'moderator']);

/** A report as the REST API shows it, from the room's state. */
const reportOf = (roomId: string, reportId: string, state: RoomState): Report => {
  const { resolution, ...report } = state.reports.get(reportId)!;
  return {
    report_id: reportId,
    room_id: roomId,
    ...report,
    status: resolution ? 'resolved' : 'open',
    action: resolution?.action ?? null,
    resolved_by: resolution?.resolved_by ?? null,
    resolved_at: resolution?.resolved_at ?? null,
  };
};

/** The reports of one room the viewer moderates, oldest first; refused as the rule refuses. */
const reportsOfRoom = async (deps: RestDeps, roomId: string, viewer: Viewer): Promise<Report[]> => {
  const { state } = await deps.rooms.load(roomStream(roomId));
  const refusal = refuseNonModerator(factsOf(state, new Date().toISOString()), viewer);
  if (refusal) throw new HttpRejection(refusal.code, refusal.message);
  return state.reports.entries().map(([reportId]) => reportOf(roomId, reportId, state));
};

/**
 * The rooms whose reports the viewer reads when no room is named: those they own or moderate, and
 * for an administrator every room they can list.
 */
const moderatedRooms = async (deps: RestDeps, viewer: Viewer): Promise<string[]> =>
  (await deps.readModel.listRoomsVisibleTo(viewer.userId))
    .filter((room) => viewer.isAdmin || (room.role !== null && MODERATING.has(room.role)))
    .map((room) => room.room_id);

/** Reports: members report messages, the room's moderators (and administrators) read and resolve them. */
export const registerReportRoutes = (app: HttpApp, deps: RestDeps): void => {
  const tags = ['moderation'];

  app.post(
    '/api/rooms/:room_id/messages/:message_id/reports',
    {
      schema: {
        tags,
        summary: "Report a message to the room's moderators (members)",
        params: MessageParams,
        body: ReportBody,
        response: { 201: Report, ...errorResponses(403, 404) },
      },
    },
    async (request, reply) => {
      const { room_id, message_id } = request.params;
      const { state } = await runCommand(deps, request, {
        type: 'ReportMessage',
        data: { room_id, message_id, reason: request.body.reason },
      });
      const reportId = reportIdFor(room_id, message_id, viewerOf(request).userId);
      return reply.code(201).send(reportOf(room_id, reportId, state));
    },
  );

  app.get(
    '/api/moderation/reports',
    {
      schema: {
        tags,
        summary: 'Reports of the rooms the caller moderates (or of one room), oldest first',
        querystring: ReportsQuery,
        response: { 200: ReportList, ...errorResponses(403, 404) },
      },
    },
    async (request) => {
      const viewer = viewerOf(request);
      const { room_id, status } = request.query;
      const rooms = room_id ? [room_id] : await moderatedRooms(deps, viewer);
      const reports = (await Promise.all(rooms.map((roomId) => reportsOfRoom(deps, roomId, viewer)))).flat();
      return {
        reports: reports
          .filter((report) => !status || report.status === status)
          .sort((a, b) => (a.reported_at < b.reported_at ? -1 : a.reported_at > b.reported_at ? 1 : 0)),
      };
    },
  );

  app.post(
    '/api/moderation/reports/:report_id/resolve',
    {
      schema: {
        tags,
        summary:
          "Resolve a report: dismiss it, delete the message, or ban or mute its sender (the room's moderators)",
        params: ReportParams,
        body: ResolveReportBody,
        response: { 200: Report, ...errorResponses(403, 404) },
      },
    },
    async (request) => {
      const { report_id } = request.params;
      const roomId = roomOfReport(report_id);
      if (!roomId) throw new HttpRejection(reportNotFound().code, reportNotFound().message);
      const { state } = await runCommand(deps, request, {
        type: 'ResolveReport',
        data: { room_id: roomId, report_id, ...request.body },
      });
      return reportOf(roomId, report_id, state);
    },
  );
};

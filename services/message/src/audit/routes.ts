import { AuditPage, AuditQuery, AuditVerification } from '@chat/contracts';
import type { HttpApp } from '@chat/runtime';
import { errorResponses, orReject, viewerOf } from '../rest/routing';
import type { AuditReadModel } from './application/port';
import { queryAuditLog, verifyAuditLog, type RoomOwnership } from './application/queries';

export interface AuditRouteDeps {
  readModel: AuditReadModel;
  ownership: RoomOwnership;
}

/** `GET /api/audit` and `GET /api/audit/verify`. */
export const registerAuditRoutes = (app: HttpApp, { readModel, ownership }: AuditRouteDeps): void => {
  const tags = ['audit'];

  app.get(
    '/api/audit',
    {
      schema: {
        tags,
        summary: 'Audit records, newest first (administrators: all; room owners: their rooms)',
        querystring: AuditQuery,
        response: { 200: AuditPage, ...errorResponses(403) },
      },
    },
    async (request) => orReject(await queryAuditLog(readModel, ownership, viewerOf(request), request.query)),
  );

  app.get(
    '/api/audit/verify',
    {
      schema: {
        tags,
        summary: "Recompute the audit log's hash chain over the stored records (administrators)",
        response: { 200: AuditVerification, ...errorResponses(403) },
      },
    },
    async (request) => orReject(await verifyAuditLog(readModel, viewerOf(request))),
  );
};

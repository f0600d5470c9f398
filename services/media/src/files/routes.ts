import {
  ErrorBody,
  FileDownload,
  FileParams,
  UploadRequestBody,
  UploadTicket,
  VerifiedFile,
  type Rejection,
  type Result,
} from '@chat/contracts';
import { HttpRejection, principalOf, type HttpApp, type Settings } from '@chat/runtime';
import { Readable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import { attachmentDisposition } from '../blobs/port';
import type { Actor, FileHandler } from './file-handler';

/** Error responses a route documents, besides the 400 and 401 every route may give. */
const errorResponses = (...statuses: number[]) =>
  Object.fromEntries([400, 401, 403, ...statuses].map((status) => [status, ErrorBody])) as Record<
    number,
    typeof ErrorBody
  >;

const orReject = <T>(result: Result<T, Rejection>): T => {
  if (!result.ok) throw new HttpRejection(result.error.code, result.error.message);
  return result.value;
};

/** `/api/media`: request an upload, complete it, get a download link. Members of the file's room only. */
export const registerFileRoutes = (
  app: HttpApp,
  deps: { handler: FileHandler; settings: Settings },
): void => {
  const { handler, settings } = deps;
  const tags = ['media'];
  const actorOf = (request: FastifyRequest): Actor => {
    if (!settings.features.file_sharing) {
      throw new HttpRejection('feature_disabled', 'File sharing is disabled on this deployment.');
    }
    const { userId, isAdmin } = principalOf(request);
    return { userId, isAdmin, correlationId: request.id };
  };

  app.post(
    '/api/media/uploads',
    {
      schema: {
        tags,
        summary: 'Request an upload: a presigned URL to PUT the file to',
        description:
          'PUT exactly `size` bytes to `upload_url` before `expires_at`, then POST `/api/media/{file_id}/complete`.',
        body: UploadRequestBody,
        response: { 201: UploadTicket, ...errorResponses(404, 413, 415, 429) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(orReject(await handler.requestUpload(actorOf(request), request.body))),
  );

  app.post(
    '/api/media/:file_id/complete',
    {
      schema: {
        tags,
        summary: 'Complete an upload: the stored file is verified (size, and type sniffed from its content)',
        description:
          'A file whose content is not what was declared, or not allowed, is rejected and deleted. ' +
          'Only a verified file can be shared (`share_file` with its `file_url`) or downloaded.',
        params: FileParams,
        response: { 200: VerifiedFile, ...errorResponses(404, 409, 410, 415, 422) },
      },
    },
    async (request) => orReject(await handler.completeUpload(actorOf(request), request.params.file_id)),
  );

  app.get(
    '/api/media/:file_id',
    {
      schema: {
        tags,
        summary: 'A short-lived download link of a verified file (members of its room only)',
        params: FileParams,
        response: { 200: FileDownload, ...errorResponses(404, 409) },
      },
    },
    async (request) => orReject(await handler.download(actorOf(request), request.params.file_id)),
  );

  // The link `GET /api/media/{file_id}` hands out: its signature is its authorisation, so a
  // browser can follow it; the file is opened from its sealed object as it streams out.
  app.get(
    '/api/media/:file_id/content',
    { config: { anonymous: true }, schema: { hide: true, params: FileParams } },
    async (request, reply) => {
      const query = new URL(request.url, 'http://local').searchParams;
      const file = orReject(await handler.content(request.params.file_id, query));
      return reply
        .header('content-type', file.contentType)
        .header('content-length', file.size)
        .header('content-disposition', attachmentDisposition(file.fileName))
        .header('x-content-type-options', 'nosniff')
        .send(Readable.from(file.body));
    },
  );
};

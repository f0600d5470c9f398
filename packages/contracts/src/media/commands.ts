import { Type, type Static } from '@sinclair/typebox';
import { ErrorCode } from '../errors';
import { FileId, UserId } from '../primitives';

/**
 * A gateway asks the media service to verify an upload before sharing it (`share_file`), on
 * `media.commands` keyed by file id. The uploader's upload is verified as `complete` would;
 * anyone else's must be verified already.
 */
export const MediaCommandRecord = Type.Object({
  command_id: Type.String(),
  correlation_id: Type.String(),
  actor_id: UserId,
  issued_at: Type.String({ description: 'ISO 8601 time, UTC.' }),
  command: Type.Object({ type: Type.Literal('VerifyUpload'), data: Type.Object({ file_id: FileId }) }),
  reply_to: Type.String({ description: 'The gateway instance awaiting the verdict.' }),
});
export type MediaCommandRecord = Static<typeof MediaCommandRecord>;

/**
 * The verdict on a `VerifyUpload`, on `media.outcomes` keyed by the gateway that asked. `verified`
 * is published once `FileVerified` is on `media.events`, so the share that follows finds it.
 */
export const MediaOutcome = Type.Union([
  Type.Object({ kind: Type.Literal('verified'), command_id: Type.String(), reply_to: Type.String() }),
  Type.Object({
    kind: Type.Literal('rejected'),
    command_id: Type.String(),
    reply_to: Type.String(),
    code: Type.Union(Object.values(ErrorCode).map((code) => Type.Literal(code))),
    message: Type.String(),
  }),
]);
export type MediaOutcome = Static<typeof MediaOutcome>;

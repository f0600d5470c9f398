export { createMessageService, type MessageService, type MessageServiceDeps } from './service';
/** Erasure destroys a user's data keys through this port; `ContentCipher` is its adapter. */
export type { UserKeyShredder } from './privacy/key-shredder';
export type {
  HistoryRange,
  HistorySlice,
  Member,
  MessageReadModel,
  ReadModelChange,
  StreamRevision,
} from './read-model/port';
/** The embedded read model; the host picks the adapter at start-up. */
export { SqliteReadModel } from './read-model/sqlite-read-model';
export { MongoReadModel } from './read-model/mongo-read-model';
/** The audit log's records; the host picks the adapter at start-up. */
export type { AuditReadModel } from './audit/application/port';
export { SqliteAuditReadModel } from './audit/adapters/sqlite-audit-read-model';
export { cipherShredder } from './retention/cipher-shredder';
export type { RoomKeyShredder } from './retention/key-shredder';
/** The MLS KeyPackage directory; the host picks the adapter at start-up. */
export type { KeyPackageDirectory } from './mls/key-packages/port';
export { SqliteKeyPackageDirectory } from './mls/key-packages/sqlite-key-package-directory';

export { createMessageService, type MessageService, type MessageServiceDeps } from './service';
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
/** The MLS KeyPackage directory; the host picks the adapter at start-up. */
export type { KeyPackageDirectory } from './mls/key-packages/port';
export { SqliteKeyPackageDirectory } from './mls/key-packages/sqlite-key-package-directory';

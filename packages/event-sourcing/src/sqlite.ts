export * from './sqlite-checkpoint-store';
export { openSqliteFile, prepareStatements, type Statements } from '@chat/sqlite';
export * from './sqlite-applied-revisions';
export type { AtRevision, StreamRevision } from './stream-revision';

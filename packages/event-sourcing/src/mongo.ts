export * from './mongo-checkpoint-store';
export * from './mongo-connect';
export * from './mongo-applied-revisions';
export type { AtRevision, StreamRevision } from './stream-revision';
export * from './mongo-writes';

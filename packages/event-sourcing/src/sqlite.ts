export * from './sqlite-checkpoint-store';
export * from './sqlite-file';
export * from './sqlite-applied-revisions';
export type { AtRevision, StreamRevision } from './stream-revision';

export * from './decider';
export * from './event-id';
export * from './command-id';
export * from './aggregate-repository';
export * from './checkpoint-store';
export * from './relay';
export * from './projection';
export * from './read-your-writes';
export { freshEntries, newestRevisions, type AtRevision, type StreamRevision } from './stream-revision';

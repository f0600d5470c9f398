export * from './envelope';
export * from './kek';
export * from './key-id';
export * from './cipher';
export * from './errors';
export * from './rotate';
export type * from './store/port';
export * from './message-content';

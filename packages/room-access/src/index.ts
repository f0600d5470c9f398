export * from './rule';
export type { ReadOffset, RoomAccessStore, UserRoom } from './store/port';
export * from './view';
export * from './suspensions';

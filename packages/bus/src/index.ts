export * from './port';
export type { BusLogger } from './logger';

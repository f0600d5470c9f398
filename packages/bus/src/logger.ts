/**
 * What the adapters log through: the part of pino's API they use, so a service hands over its
 * logger unchanged. Without one, the adapters log nothing (they never write to the console).
 */
export interface BusLogger {
  error(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

/** What the adapters count, for the service's metrics; without it they count nothing. */
export interface BusMetrics {
  /** A batch handler threw (it will be tried again, or its bad record dead-lettered). */
  handlerFailed(groupId: string, topic: string, transient: boolean): void;
  deadLettered(groupId: string, topic: string): void;
  /** A batch was handled: how many records, in how long. */
  batchHandled?(groupId: string, topic: string, records: number, seconds: number): void;
  /**
   * A group committed a partition up to `committedOffset` (the next record it will take) while the
   * partition ended at `endOffset`: its position, and its lag (the difference).
   */
  committed?(
    groupId: string,
    topic: string,
    partition: number,
    committedOffset: number,
    endOffset: number,
  ): void;
}

/** The logger and metrics every adapter takes. */
export interface BusObservers {
  logger?: BusLogger;
  metrics?: BusMetrics;
}

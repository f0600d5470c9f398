/**
 * What the adapters log through: the part of pino's API they use, so a service hands over its
 * logger unchanged. Without one, the adapters log nothing (they never write to the console).
 */
export interface BusLogger {
  error(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

import { FormatRegistry, type Static, type TSchema } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import type { Rejection } from './errors';
import { ClientFrames, type ClientFrame, type ClientFrameType } from './frames/client';

export type Result<T, E = Rejection> = { ok: true; value: T } | { ok: false; error: E };

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

// TypeBox knows no string formats by itself: without this, every `Timestamp` would fail a check.
if (!FormatRegistry.Has('date-time')) {
  FormatRegistry.Set('date-time', (value) => DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)));
}

/** A compiled validator: fast enough for every frame on the gateway's hot path. */
export interface Validator<T extends TSchema> {
  check(value: unknown): value is Static<T>;
  /** First validation failure as a readable sentence, or null. */
  explain(value: unknown): string | null;
}

export const compile = <T extends TSchema>(schema: T): Validator<T> => {
  const checker: TypeCheck<T> = TypeCompiler.Compile(schema);
  return {
    check: (value): value is Static<T> => checker.Check(value),
    explain: (value) => {
      const first = checker.Errors(value).First();
      return first ? `${first.path || '/'}: ${first.message}` : null;
    },
  };
};

const frameValidators = Object.fromEntries(
  Object.entries(ClientFrames).map(([type, schema]) => [type, compile(schema)]),
) as { [K in ClientFrameType]: Validator<(typeof ClientFrames)[K]> };

const isFrameType = (type: unknown): type is ClientFrameType =>
  typeof type === 'string' && Object.hasOwn(frameValidators, type);

/**
 * Names a frame's unknown `type` back to its sender. Never `String()` of what the client sent: a
 * JSON object shaped `{"toString": 1}` makes that throw, and the parser must not.
 */
const unknownTypeMessage = (type: unknown): string => {
  if (type === undefined) return 'Frame has no "type".';
  if (typeof type === 'string') return `Unknown frame type "${type.slice(0, 64)}".`;
  const shape = type === null ? 'null' : Array.isArray(type) ? 'an array' : `a ${typeof type}`;
  return `Frame "type" must be a string, not ${shape}.`;
};

/**
 * Parse one text frame from a client. The error's `ref` is what the gateway echoes: the
 * client_msg_id when the frame carries one, else its type.
 */
export const parseClientFrame = (text: string): Result<ClientFrame, Rejection & { ref: string | null }> => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: { code: 'invalid_frame', message: 'Frame is not valid JSON.', ref: null } };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {
      ok: false,
      error: { code: 'invalid_frame', message: 'Frame must be a JSON object.', ref: null },
    };
  }
  const record = value as Record<string, unknown>;
  const ref =
    typeof record.client_msg_id === 'string'
      ? record.client_msg_id
      : typeof record.type === 'string'
        ? record.type
        : null;
  if (!isFrameType(record.type)) {
    return { ok: false, error: { code: 'unknown_type', message: unknownTypeMessage(record.type), ref } };
  }
  const validator = frameValidators[record.type] as Validator<TSchema>;
  if (!validator.check(record)) {
    return {
      ok: false,
      error: { code: 'invalid_frame', message: validator.explain(record) ?? 'Invalid frame.', ref },
    };
  }
  return { ok: true, value: record as ClientFrame };
};

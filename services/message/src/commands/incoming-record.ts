import type { Validator } from '@chat/contracts';
import type { Static, TSchema } from '@sinclair/typebox';

export type Parsed<T extends TSchema> =
  | { ok: true; value: Static<T> }
  | {
      ok: false;
      reason: string;
      /** Whatever string fields could still be read, to address a refusal to the sender. */
      readable: (path: string[]) => string | null;
    };

const stringAt = (value: unknown, path: string[]): string | null => {
  let at = value;
  for (const key of path) {
    if (typeof at !== 'object' || at === null) return null;
    at = (at as Record<string, unknown>)[key];
  }
  return typeof at === 'string' ? at : null;
};

/** Parses a bus record's JSON value against its contract. */
export const parseRecord = <T extends TSchema>(text: string, validator: Validator<T>): Parsed<T> => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not JSON', readable: () => null };
  }
  if (validator.check(value)) return { ok: true, value };
  return {
    ok: false,
    reason: validator.explain(value) ?? 'invalid',
    readable: (path) => stringAt(value, path),
  };
};

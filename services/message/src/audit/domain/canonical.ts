import { createHash } from 'node:crypto';

/** What the canonical encoding takes: JSON values, with `undefined` fields meaning absent. */
export type CanonicalValue =
  | string
  | number
  | boolean
  | null
  | readonly CanonicalValue[]
  | { readonly [key: string]: CanonicalValue | undefined };

/**
 * The one byte string a value hashes as: JSON with every object's keys sorted by code unit,
 * absent (`undefined`) fields left out, no whitespace, encoded as UTF-8. For the strings and
 * integers audit records hold this is the JSON Canonicalization Scheme (RFC 8785): any other
 * implementation that sorts keys and writes compact JSON gets the same bytes.
 */
export const canonicalEncoding = (value: CanonicalValue): Buffer => Buffer.from(canonicalJson(value), 'utf8');

const canonicalJson = (value: CanonicalValue): string => {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new TypeError(`No canonical encoding for ${value}`);
    }
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const fields = Object.entries(value as Record<string, CanonicalValue | undefined>)
    .filter((entry): entry is [string, CanonicalValue] => entry[1] !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${fields.map(([key, field]) => `${JSON.stringify(key)}:${canonicalJson(field)}`).join(',')}}`;
};

/** SHA-256 of the value's canonical encoding, lowercase hex. */
export const canonicalSha256 = (value: CanonicalValue): string =>
  createHash('sha256').update(canonicalEncoding(value)).digest('hex');

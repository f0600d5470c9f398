/**
 * What may be shared: images and documents. No SVG (it can carry script), no archives, nothing
 * executable. A declared type is compared by its essence, `text/plain; charset=utf-8` being
 * `text/plain`.
 */
export const ALLOWED_CONTENT_TYPES: ReadonlySet<string> = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation',
  'text/plain',
  'text/csv',
  'text/markdown',
]);

/** Allowed types with no signature in their first bytes: their content is recognised as text. */
export const TEXT_CONTENT_TYPES: ReadonlySet<string> = new Set(['text/plain', 'text/csv', 'text/markdown']);

export const essenceOf = (contentType: string): string => contentType.split(';')[0]!.trim().toLowerCase();

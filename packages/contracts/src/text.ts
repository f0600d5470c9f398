/**
 * Characters that change how the text around them reads without being seen: C0 controls (line
 * feed and tab kept where text may span lines), DEL, C1 controls, and the bidirectional
 * embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) that make `photo\u202Egnp.exe`
 * read as `photoexe.png`. The bidi marks (U+200E, U+200F, U+061C) stay: right-to-left writing
 * needs them and they reorder nothing.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is what these are for
const HIDDEN_MULTILINE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/gu;
// eslint-disable-next-line no-control-regex -- as above
const HIDDEN_SINGLE_LINE = /[\u0000-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/gu;

export interface TextShape {
  /** Message content may hold line feeds and tabs; names may not. */
  multiline?: boolean;
}

/**
 * Every user-visible string as it is stored and shown to others: hidden characters dropped,
 * Unicode normalised (NFC), so the same raw text always cleans to the same stored text.
 */
export const cleanText = (raw: string, { multiline = false }: TextShape = {}): string =>
  raw.replace(multiline ? HIDDEN_MULTILINE : HIDDEN_SINGLE_LINE, '').normalize('NFC');

/** Whether `text` holds a character `cleanText` would drop: for names that are refused, not cleaned. */
export const hasHiddenCharacters = (text: string, shape: TextShape = {}): boolean =>
  text.replace(shape.multiline ? HIDDEN_MULTILINE : HIDDEN_SINGLE_LINE, '') !== text;

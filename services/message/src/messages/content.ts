import { cleanText, reject, type Rejection, type Result } from '@chat/contracts';

/** The content as it is stored: the same raw content always cleans to the same stored content. */
export const cleanContent = (raw: string): string => cleanText(raw, { multiline: true });

/** The content as it is stored, or why it cannot be. Length counts Unicode code points. */
export const acceptableContent = (raw: string, maxLength: number): Result<string, Rejection> => {
  const content = cleanContent(raw);
  if (content.trim() === '')
    return { ok: false, error: reject('content_empty', 'Message content is empty.') };
  const length = Array.from(content).length;
  if (length > maxLength) {
    return {
      ok: false,
      error: reject('content_too_long', `Message has ${length} characters; the limit is ${maxLength}.`),
    };
  }
  return { ok: true, value: content };
};

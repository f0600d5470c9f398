import { reject, type Rejection, type Result } from '@chat/contracts';

/** ASCII control characters are dropped, except the line feed and tab a multi-line message needs. */
const isDroppedControl = (char: string): boolean => {
  const code = char.charCodeAt(0);
  return (code < 0x20 && char !== '\n' && char !== '\t') || code === 0x7f;
};

/** The content as it is stored: the same raw content always cleans to the same stored content. */
export const cleanContent = (raw: string): string => {
  let content = '';
  for (const char of raw) if (!isDroppedControl(char)) content += char;
  return content.normalize('NFC');
};

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

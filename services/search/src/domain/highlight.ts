import { HIGHLIGHT_END, HIGHLIGHT_START } from '../application/search-index';

const ESCAPED: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  [HIGHLIGHT_START]: '<mark>',
  [HIGHLIGHT_END]: '</mark>',
};

/**
 * A hit's highlight: its content as HTML, every character escaped and each match in `<mark>`, so
 * a client may insert it as is. The markers come from the index; content never carries them
 * (the projection replaces them).
 */
export const renderHighlight = (marked: string): string =>
  marked.replace(/[&<>"'\uE000\uE001]/gu, (char) => ESCAPED[char]!);

/** Private-use characters the index reserves for its markers, replaced in indexed content. */
export const withoutMarkers = (content: string): string => content.replace(/[\uE000\uE001]/gu, '\uFFFD');

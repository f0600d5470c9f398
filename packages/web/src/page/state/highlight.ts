export interface Segment {
  text: string;
  match: boolean;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'" };

const unescape = (html: string) =>
  html.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (_entity, name: string) => ENTITIES[name] ?? '');

/**
 * A search hit's `highlight` (escaped HTML, matches in `<mark>`) as text segments, so the page
 * draws it with text nodes and `<mark>` elements of its own and never parses the server's HTML.
 */
export const highlightSegments = (highlight: string): Segment[] =>
  highlight
    .split(/(<mark>.*?<\/mark>)/s)
    .filter((part) => part !== '')
    .map((part) =>
      part.startsWith('<mark>') && part.endsWith('</mark>')
        ? { text: unescape(part.slice(6, -7)), match: true }
        : { text: unescape(part), match: false },
    );

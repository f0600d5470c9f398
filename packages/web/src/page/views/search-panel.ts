import type { SearchHit } from '../api';
import { fill, h, timeOf } from '../dom';
import { highlightSegments } from '../state/highlight';

export interface SearchActions {
  /** Opens the hit's room (and its thread, for a reply) at the message. */
  show(hit: SearchHit): void;
  close(): void;
}

const highlighted = (hit: SearchHit) =>
  h(
    'p',
    { class: 'content' },
    highlightSegments(hit.highlight).map(({ text, match }) => (match ? h('mark', {}, text) : text)),
  );

/** The search results beside the room: each hit with its words marked, a button to go to it. */
export const searchPanel = (actions: SearchActions) => {
  const title = h('h2', { id: 'search-title', tabindex: -1 }, 'Search');
  const results = h('ol', { class: 'hits' });
  const element = h(
    'aside',
    { class: 'panel search-panel', 'aria-labelledby': 'search-title', hidden: true },
    h(
      'div',
      { class: 'panel-head' },
      title,
      h('button', { type: 'button', onclick: () => actions.close(), 'aria-label': 'Close search' }, '✕'),
    ),
    results,
  );
  element.addEventListener('keydown', (event) => event.key === 'Escape' && actions.close());
  return {
    element,
    show(query: string, hits: readonly SearchHit[], roomTitle: (roomId: string) => string) {
      fill(title, `${hits.length} result${hits.length === 1 ? '' : 's'} for “${query}”`);
      fill(
        results,
        hits.length === 0
          ? h('li', { class: 'muted' }, 'No message contains every word.')
          : hits.map((hit) =>
              h(
                'li',
                {},
                h(
                  'button',
                  { type: 'button', class: 'hit', onclick: () => actions.show(hit) },
                  h(
                    'span',
                    { class: 'meta' },
                    `${roomTitle(hit.room_id)} · ${hit.sender_id} · ${timeOf(hit.created_at)}`,
                  ),
                  highlighted(hit),
                ),
              ),
            ),
      );
      element.hidden = false;
      title.focus();
    },
    hide() {
      element.hidden = true;
    },
  };
};

import type { ConnectionState } from '@chat/client';
import { fill, h } from '../dom';
import type { Status } from './presence-dot';

export interface TopBarActions {
  search(query: string): void;
  setStatus(status: Status): void;
  signOut(): void;
}

const CONNECTION_TEXT: Record<ConnectionState, string> = {
  idle: 'Not connected',
  connecting: 'Connecting…',
  open: 'Connected',
  reconnecting: 'Connection lost: reconnecting…',
  closed: 'Disconnected',
};

const STATUSES: readonly Status[] = ['online', 'away', 'busy', 'offline'];

/** Shows or hides the rooms on a narrow screen (on a wide one they always show). */
export const showRooms = (show: boolean): void => {
  document.body.classList.toggle('show-sidebar', show);
  document.querySelector('.rooms-toggle')?.setAttribute('aria-expanded', String(show));
};

/** The bar above everything: the rooms button (narrow screens), search, the connection, the user. */
export const topBar = (me: string, actions: TopBarActions) => {
  const query = h('input', {
    type: 'search',
    id: 'search-q',
    required: true,
    maxlength: 1024,
    placeholder: 'Search messages',
  });
  const connection = h('p', { class: 'connection', role: 'status' }, 'Connecting…');
  const element = h(
    'header',
    { class: 'topbar' },
    h(
      'button',
      {
        type: 'button',
        class: 'rooms-toggle',
        'aria-controls': 'sidebar',
        'aria-expanded': 'false',
        onclick: () => showRooms(!document.body.classList.contains('show-sidebar')),
      },
      'Rooms',
    ),
    h('h1', {}, 'Chat'),
    h(
      'form',
      {
        role: 'search',
        class: 'search',
        onsubmit: (event: Event) => {
          event.preventDefault();
          actions.search(query.value.trim());
        },
      },
      h('label', { for: 'search-q', class: 'visually-hidden' }, 'Search messages'),
      query,
      h('button', { type: 'submit' }, 'Search'),
    ),
    connection,
    h('span', { class: 'me' }, 'Signed in as ', h('strong', {}, me)),
    h('label', { for: 'my-status', class: 'visually-hidden' }, 'Your status'),
    h(
      'select',
      {
        id: 'my-status',
        onchange: (event: Event) => actions.setStatus((event.target as HTMLSelectElement).value as Status),
      },
      STATUSES.map((value) => h('option', { value }, value === 'offline' ? 'appear offline' : value)),
    ),
    h('button', { type: 'button', onclick: () => actions.signOut() }, 'Sign out'),
  );
  return {
    element,
    /** The connection's state, and while it is not open how many messages wait to be sent. */
    connection(state: ConnectionState, waiting: number) {
      const kept =
        state !== 'open' && waiting > 0 ? ` ${waiting} unsent message${waiting === 1 ? '' : 's'} kept.` : '';
      fill(connection, CONNECTION_TEXT[state] + kept);
      connection.className = `connection ${state}`;
    },
  };
};

import { fill, h } from '../dom';
import { presenceDot, type Status } from './presence-dot';

export interface RoomItem {
  id: string;
  title: string;
  kind: 'group' | 'direct';
  unread: number;
  active: boolean;
  /** Whether the user is a member; a public room they are not in is joined when opened. */
  member: boolean;
  /** A direct room's other member's status. */
  presence?: Status;
}

export interface SidebarActions {
  open(roomId: string): void;
  createRoom(name: string, isPrivate: boolean): Promise<void>;
  openDirect(userId: string): Promise<void>;
}

const roomLink = (item: RoomItem, actions: SidebarActions) =>
  h(
    'li',
    {},
    h(
      'button',
      {
        type: 'button',
        class: `room-link${item.active ? ' active' : ''}`,
        'aria-current': item.active ? 'true' : false,
        'data-room': item.id,
        onclick: () => actions.open(item.id),
      },
      item.presence ? presenceDot(item.presence) : null,
      h('span', { class: 'room-name' }, item.kind === 'group' ? `# ${item.title}` : item.title),
      item.member ? null : h('span', { class: 'muted' }, ' (join)'),
      item.unread > 0
        ? h('span', { class: 'badge', 'aria-label': `${item.unread} unread` }, String(item.unread))
        : null,
    ),
  );

/** A small form of one field: its errors shown beside it. */
const oneFieldForm = (
  id: string,
  label: string,
  button: string,
  submit: (value: string, form: HTMLFormElement) => Promise<void>,
  extra: HTMLElement | null = null,
) => {
  const input = h('input', { id, required: true, maxlength: 128, autocomplete: 'off' });
  const status = h('p', { role: 'alert', class: 'error' });
  const form: HTMLFormElement = h(
    'form',
    {
      class: 'side-form',
      onsubmit: (event: Event) => {
        event.preventDefault();
        fill(status);
        submit(input.value.trim(), form).then(
          () => (input.value = ''),
          (error: Error) => fill(status, error.message),
        );
      },
    },
    h('label', { for: id }, label),
    h('div', { class: 'row' }, input, h('button', { type: 'submit' }, button)),
    extra,
    status,
  );
  return form;
};

/** The rooms and direct messages with their unread badges, and the forms that add to them. */
export const sidebar = (actions: SidebarActions) => {
  const groups = h('ul', { class: 'room-list', 'aria-label': 'Rooms' });
  const directs = h('ul', { class: 'room-list', 'aria-label': 'Direct messages' });
  const privateBox = h('input', { type: 'checkbox', id: 'new-room-private' });
  const element = h(
    'nav',
    { id: 'sidebar', class: 'sidebar', 'aria-label': 'Rooms and direct messages' },
    h('h2', {}, 'Rooms'),
    groups,
    oneFieldForm(
      'new-room-name',
      'New room',
      'Create',
      (name) => actions.createRoom(name, privateBox.checked),
      h('label', { class: 'check' }, privateBox, ' Private'),
    ),
    h('h2', {}, 'Direct messages'),
    directs,
    oneFieldForm('dm-user', 'Message a user', 'Open', (user) => actions.openDirect(user)),
  );
  return {
    element,
    draw(items: readonly RoomItem[]) {
      // Redrawn on every badge change: the room button that had the focus keeps it.
      const focused = (document.activeElement as HTMLElement | null)?.dataset?.room;
      fill(
        groups,
        items.filter((item) => item.kind === 'group').map((item) => roomLink(item, actions)),
      );
      fill(
        directs,
        items.filter((item) => item.kind === 'direct').map((item) => roomLink(item, actions)),
      );
      if (focused) element.querySelector<HTMLElement>(`[data-room="${CSS.escape(focused)}"]`)?.focus();
    },
  };
};

import { fill, h } from '../dom';
import { presenceDot, type Status } from './presence-dot';

/** The open room's name and its members, each with a presence dot. */
export const roomHeader = () => {
  const title = h('h2', { id: 'room-title' }, 'No room open');
  const members = h('ul', { class: 'members', 'aria-label': 'Members' });
  const element = h('header', { class: 'room-head' }, title, members);
  return {
    element,
    draw(name: string, people: readonly { user_id: string; status: Status }[]) {
      fill(title, name);
      fill(
        members,
        people.map(({ user_id, status }) => h('li', {}, presenceDot(status), ' ', user_id)),
      );
    },
  };
};

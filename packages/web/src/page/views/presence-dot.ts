import { h } from '../dom';

export type Status = 'online' | 'away' | 'busy' | 'offline';

/** A coloured dot with its status in words for screen readers. */
export const presenceDot = (status: Status) =>
  h('span', { class: `dot ${status}`, role: 'img', 'aria-label': status, title: status });

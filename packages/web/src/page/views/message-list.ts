import type { ChatMessage } from '@chat/client';
import type { PendingSend } from '../state/pending-sends';
import type { Entry } from '../state/room-log';
import { h } from '../dom';
import { messageItem, type MessageActions } from './message-item';

interface Drawn {
  key: string;
  element: HTMLLIElement;
}

/**
 * A list of messages drawn into an `<ol>`, redrawing only the messages that changed (an element
 * kept keeps its focus and its loaded image) and moving none that stays in place. It follows the
 * newest message while the reader is at the bottom, and keeps the reader's place when older
 * messages are put above.
 */
export class MessageList {
  readonly element: HTMLOListElement;
  private drawn = new Map<string, Drawn>();

  constructor(label: string) {
    this.element = h('ol', {
      class: 'messages',
      role: 'log',
      'aria-label': label,
      'aria-live': 'polite',
      tabindex: 0,
    });
  }

  /** Empties the list (another room, another thread). */
  reset(): void {
    this.drawn.clear();
    this.element.replaceChildren();
  }

  atBottom(): boolean {
    const { scrollHeight, scrollTop, clientHeight } = this.element;
    return scrollHeight - scrollTop - clientHeight < 40;
  }

  scrollToBottom(): void {
    this.element.scrollTop = this.element.scrollHeight;
  }

  draw(
    entries: readonly Entry[],
    actions: MessageActions,
    seenBy: (message: ChatMessage) => readonly string[] = () => [],
    pending: readonly PendingSend[] = [],
  ): void {
    const follow = this.atBottom();
    const fromBottom = this.element.scrollHeight - this.element.scrollTop;
    const firstBefore = this.element.firstElementChild;
    const next = new Map<string, Drawn>();
    const wanted: HTMLLIElement[] = [];
    for (const { message, version } of entries) {
      const seen = seenBy(message);
      const editing = actions.editing?.messageId === message.message_id;
      const key = `${version}|${seen.join(',')}|${editing}`;
      const known = this.drawn.get(message.message_id);
      const element = known && known.key === key ? known.element : messageItem(message, actions, seen);
      next.set(message.message_id, { key, element });
      wanted.push(element);
    }
    for (const send of pending) {
      wanted.push(
        h(
          'li',
          { class: `message mine pending${send.failed ? ' failed' : ''}`, 'data-pending': send.id },
          h(
            'div',
            { class: 'meta' },
            h('strong', { class: 'sender' }, actions.me),
            ' ',
            h('span', { class: 'muted' }, send.failed ?? 'sending…'),
          ),
          h('div', { class: 'body' }, h('p', { class: 'content' }, send.content)),
        ),
      );
    }
    this.place(wanted);
    this.drawn = next;
    if (follow) this.scrollToBottom();
    else if (firstBefore && this.element.firstElementChild !== firstBefore) {
      // Older messages went in above: keep what the reader was looking at where it was.
      this.element.scrollTop = this.element.scrollHeight - fromBottom;
    }
  }

  private place(wanted: readonly HTMLLIElement[]): void {
    const keep = new Set<Element>(wanted);
    for (const child of [...this.element.children]) if (!keep.has(child)) child.remove();
    let cursor = this.element.firstElementChild;
    for (const element of wanted) {
      if (element === cursor) cursor = cursor.nextElementSibling;
      else this.element.insertBefore(element, cursor);
    }
  }
}

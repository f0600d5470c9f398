import type { ChatMessage } from '@chat/client';
import { h } from '../dom';
import type { Entry } from '../state/room-log';
import { composer } from './composer';
import type { PendingSend } from '../state/pending-sends';
import { MessageList } from './message-list';
import type { MessageActions } from './message-item';

export interface ThreadActions {
  reply(root: ChatMessage, content: string): void;
  typing(state: 'start' | 'stop'): void;
  close(): void;
}

/** A thread beside the room: its root, its replies as they come, and a field to reply. */
export const threadPanel = (actions: ThreadActions) => {
  let root: ChatMessage | null = null;
  const title = h('h2', { id: 'thread-title', tabindex: -1 }, 'Thread');
  const list = new MessageList('Thread replies');
  const reply = composer({
    label: 'Reply in thread',
    send: (content) => root && actions.reply(root, content),
    typing: actions.typing,
  });
  const element = h(
    'aside',
    { class: 'panel thread-panel', 'aria-labelledby': 'thread-title', hidden: true },
    h(
      'div',
      { class: 'panel-head' },
      title,
      h('button', { type: 'button', onclick: () => actions.close(), 'aria-label': 'Close thread' }, '✕'),
    ),
    list.element,
    reply.element,
  );
  element.addEventListener('keydown', (event) => event.key === 'Escape' && actions.close());
  return {
    element,
    get root() {
      return root;
    },
    open(message: ChatMessage) {
      if (root?.message_id !== message.message_id) list.reset();
      root = message;
      element.hidden = false;
      reply.focus();
    },
    draw(
      rootEntry: Entry,
      replies: readonly Entry[],
      messageActions: MessageActions,
      pending: readonly PendingSend[],
    ) {
      root = rootEntry.message;
      list.draw([rootEntry, ...replies], { ...messageActions, openThread: undefined }, undefined, pending);
    },
    close() {
      root = null;
      element.hidden = true;
      list.reset();
    },
  };
};

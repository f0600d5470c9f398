import type { ChatMessage } from '@chat/client';
import { fill, h, timeOf } from '../dom';

/** The quick reactions offered on every message. */
export const QUICK_REACTIONS = ['👍', '❤️', '😂', '🎉'] as const;

/** What a drawn message can do and needs to know, supplied by the app. */
export interface MessageActions {
  me: string;
  react(message: ChatMessage, emoji: string, add: boolean): void;
  /** Opens the message's thread; absent inside the thread panel. */
  openThread?(message: ChatMessage): void;
  edit(message: ChatMessage, content: string): Promise<void>;
  remove(message: ChatMessage): void;
  /** A short-lived link to a shared file. */
  fileLink(message: ChatMessage): Promise<string>;
  download(message: ChatMessage): void;
}

const sizeText = (bytes: number) =>
  bytes < 1024
    ? `${bytes} B`
    : bytes < 1024 ** 2
      ? `${(bytes / 1024).toFixed(1)} KiB`
      : `${(bytes / 1024 ** 2).toFixed(1)} MiB`;

const fileView = (message: ChatMessage, actions: MessageActions) => {
  const file = message.file!;
  const download = h(
    'button',
    { type: 'button', class: 'link', onclick: () => actions.download(message) },
    `Download ${file.file_name}`,
  );
  const caption = h(
    'span',
    { class: 'file-meta' },
    `${file.file_name} · ${sizeText(file.file_size)} `,
    download,
  );
  if (!file.content_type.startsWith('image/')) return h('div', { class: 'file' }, '📎 ', caption);
  const preview = h('div', { class: 'preview-slot' });
  const load = () => {
    const image = h('img', { class: 'preview', alt: `Image ${file.file_name}`, width: 240, height: 160 });
    fill(preview, image);
    actions.fileLink(message).then(
      (url) => {
        image.src = url;
        image.addEventListener('load', () => image.removeAttribute('height'), { once: true });
      },
      () =>
        fill(
          preview,
          h('span', { class: 'muted' }, 'The preview could not be loaded. '),
          h('button', { type: 'button', class: 'link', onclick: load }, 'Try again'),
        ),
    );
  };
  load();
  return h('figure', { class: 'file' }, preview, h('figcaption', {}, caption));
};

const reactionsView = (message: ChatMessage, actions: MessageActions) => {
  const reactions = message.reactions ?? [];
  const existing = reactions.map(({ emoji, count, me }) =>
    h(
      'button',
      {
        type: 'button',
        class: 'reaction',
        'aria-pressed': me ? 'true' : 'false',
        'aria-label': `${emoji} ${count}${me ? ', including you' : ''}`,
        onclick: () => actions.react(message, emoji, !me),
      },
      `${emoji} ${count}`,
    ),
  );
  const offered = QUICK_REACTIONS.filter(
    (emoji) => !reactions.some((reaction) => reaction.emoji === emoji),
  ).map((emoji) =>
    h(
      'button',
      {
        type: 'button',
        class: 'reaction add',
        'aria-label': `React with ${emoji}`,
        onclick: () => actions.react(message, emoji, true),
      },
      emoji,
    ),
  );
  return h('div', { class: 'reactions', role: 'group', 'aria-label': 'Reactions' }, existing, offered);
};

/** Puts an edit form in the message's body; `restore` draws the body as it was. */
const editForm = (body: HTMLElement, message: ChatMessage, actions: MessageActions, restore: () => void) => {
  const input = h('textarea', { 'aria-label': 'Edit message', rows: 2 });
  input.value = message.content;
  const form = h(
    'form',
    {
      class: 'edit',
      onsubmit: (event: Event) => {
        event.preventDefault();
        const content = input.value.trim();
        if (!content || content === message.content) return restore();
        actions.edit(message, content).then(restore, (error: Error) => fill(status, error.message));
      },
      onkeydown: (event: Event) => {
        const key = event as KeyboardEvent;
        if (key.key === 'Escape') restore();
        if (key.key === 'Enter' && !key.shiftKey) {
          key.preventDefault();
          form.requestSubmit();
        }
      },
    },
    input,
    h('button', { type: 'submit' }, 'Save'),
    h('button', { type: 'button', onclick: restore }, 'Cancel'),
  );
  const status = h('span', { role: 'alert', class: 'error' });
  form.append(status);
  fill(body, form);
  input.focus();
};

const threadSummary = (message: ChatMessage, actions: MessageActions) => {
  const thread = message.thread;
  if (!actions.openThread || !thread || thread.reply_count === 0) return null;
  const count = thread.reply_count === 1 ? '1 reply' : `${thread.reply_count} replies`;
  return h(
    'button',
    { type: 'button', class: 'thread-summary link', onclick: () => actions.openThread!(message) },
    `${count} · ${thread.participants.join(', ')}`,
  );
};

/** One message as an `<li>`: sender, time, content or file, reactions, thread summary, actions. */
export const messageItem = (
  message: ChatMessage,
  actions: MessageActions,
  seenBy: readonly string[],
): HTMLLIElement => {
  const mine = message.sender_id === actions.me;
  const deleted = message.deleted_at !== undefined;
  const body = h('div', { class: 'body' });
  const draw = () => {
    if (deleted) return fill(body, h('em', { class: 'muted' }, 'This message was deleted.'));
    fill(
      body,
      message.file ? fileView(message, actions) : h('p', { class: 'content' }, message.content),
      message.edited_at ? h('span', { class: 'muted edited' }, '(edited)') : null,
    );
  };
  draw();
  const tools = deleted
    ? null
    : h(
        'div',
        { class: 'tools' },
        actions.openThread
          ? h('button', { type: 'button', onclick: () => actions.openThread!(message) }, 'Reply in thread')
          : null,
        mine && !message.file
          ? h('button', { type: 'button', onclick: () => editForm(body, message, actions, draw) }, 'Edit')
          : null,
        mine ? h('button', { type: 'button', onclick: () => actions.remove(message) }, 'Delete') : null,
      );
  return h(
    'li',
    {
      class: `message${mine ? ' mine' : ''}`,
      id: `msg-${message.room_id}-${message.seq}`,
      'data-seq': message.seq,
      tabindex: -1,
    },
    h(
      'div',
      { class: 'meta' },
      h('strong', { class: 'sender' }, message.sender_id),
      ' ',
      h('time', { datetime: message.created_at }, timeOf(message.created_at)),
    ),
    body,
    deleted ? null : reactionsView(message, actions),
    threadSummary(message, actions),
    tools,
    seenBy.length > 0 ? h('p', { class: 'seen muted' }, `Seen by ${seenBy.join(', ')}`) : null,
  );
};

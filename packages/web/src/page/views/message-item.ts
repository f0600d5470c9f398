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
  /**
   * The message being edited and its draft: kept by the app, so a message redrawn while it is
   * edited (a reaction, a receipt) keeps its form and what was typed.
   */
  editing: { messageId: string; draft: string } | null;
  startEdit(message: ChatMessage): void;
  /** Ends editing: saves `content` if given and changed; rejects with the refusal, the form staying open. */
  finishEdit(message: ChatMessage, content?: string): Promise<void>;
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

/** The form that edits a message, with the draft the app keeps; Escape cancels, Enter saves. */
const editForm = (message: ChatMessage, actions: MessageActions, draft: string) => {
  const input = h('textarea', { 'aria-label': 'Edit message', rows: 2 });
  input.value = draft;
  input.addEventListener('input', () => {
    if (actions.editing) actions.editing.draft = input.value;
  });
  const status = h('span', { role: 'alert', class: 'error' });
  const finish = (content?: string) =>
    actions.finishEdit(message, content).catch((error: Error) => fill(status, error.message));
  const form = h(
    'form',
    {
      class: 'edit',
      onsubmit: (event: Event) => {
        event.preventDefault();
        void finish(input.value.trim() || undefined);
      },
      onkeydown: (event: Event) => {
        const key = event as KeyboardEvent;
        if (key.key === 'Escape') void finish();
        if (key.key === 'Enter' && !key.shiftKey) {
          key.preventDefault();
          form.requestSubmit();
        }
      },
    },
    input,
    h('button', { type: 'submit' }, 'Save'),
    h('button', { type: 'button', onclick: () => void finish() }, 'Cancel'),
    status,
  );
  // Drawn anew (editing began, or the message changed meanwhile): the field has the focus again.
  queueMicrotask(() => input.focus());
  return form;
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
  const gone =
    message.deleted_at !== undefined
      ? 'This message was deleted.'
      : message.expired
        ? 'This message expired.'
        : null;
  const deleted = gone !== null;
  const editing = !deleted && actions.editing?.messageId === message.message_id ? actions.editing : null;
  const body = gone
    ? h('div', { class: 'body' }, h('em', { class: 'muted' }, gone))
    : editing
      ? h('div', { class: 'body' }, editForm(message, actions, editing.draft))
      : h(
          'div',
          { class: 'body' },
          message.file ? fileView(message, actions) : h('p', { class: 'content' }, message.content),
          message.edited_at ? h('span', { class: 'muted edited' }, '(edited)') : null,
        );
  const tools = deleted
    ? null
    : h(
        'div',
        { class: 'tools' },
        actions.openThread
          ? h('button', { type: 'button', onclick: () => actions.openThread!(message) }, 'Reply in thread')
          : null,
        mine && !message.file
          ? h('button', { type: 'button', onclick: () => actions.startEdit(message) }, 'Edit')
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

import { h } from '../dom';

/** How often a `start` is repeated while the user keeps typing (the server forgets one after 5 s). */
const TYPING_REPEAT_MS = 2_500;

export interface ComposerOptions {
  /** The label of the text field, e.g. "Message #general". */
  label: string;
  send(content: string): void;
  typing(state: 'start' | 'stop'): void;
  /** Offers a file picker when given. */
  attach?(file: File): void;
}

/** The message field: Enter sends, Shift+Enter breaks the line; typing is signalled while it lasts. */
export const composer = (
  options: ComposerOptions,
): { element: HTMLFormElement; focus(): void; setLabel(label: string): void } => {
  let lastTyping = 0;
  const input = h('textarea', {
    'aria-label': options.label,
    rows: 1,
    placeholder: options.label,
    autocomplete: 'off',
  });
  const submit = () => {
    const content = input.value.trim();
    if (!content) return;
    options.send(content);
    input.value = '';
    lastTyping = 0;
    options.typing('stop');
  };
  input.addEventListener('input', () => {
    if (input.value === '') {
      if (lastTyping !== 0) options.typing('stop');
      lastTyping = 0;
      return;
    }
    const now = Date.now();
    if (now - lastTyping < TYPING_REPEAT_MS) return;
    lastTyping = now;
    options.typing('start');
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    }
  });
  const attach = options.attach;
  const picker = attach
    ? h('input', {
        type: 'file',
        class: 'visually-hidden',
        id: `attach-${crypto.randomUUID()}`,
        onchange: (event: Event) => {
          const target = event.target as HTMLInputElement;
          const file = target.files?.[0];
          if (file) attach(file);
          target.value = '';
        },
      })
    : null;
  const element = h(
    'form',
    {
      class: 'composer',
      onsubmit: (event: Event) => {
        event.preventDefault();
        submit();
      },
    },
    picker,
    picker
      ? h(
          'label',
          { for: picker.id, class: 'button', title: 'Attach a file' },
          '📎',
          h('span', { class: 'visually-hidden' }, 'Attach a file'),
        )
      : null,
    input,
    h('button', { type: 'submit' }, 'Send'),
  );
  return {
    element,
    focus: () => input.focus(),
    setLabel(label) {
      input.setAttribute('aria-label', label);
      input.placeholder = label;
    },
  };
};

import { fill, h } from '../dom';

export interface SignInOptions {
  /** Whether the platform offers the development sign-in (it uses the public development secret). */
  devAvailable: boolean;
  devToken(userId: string): Promise<string>;
  signedIn(token: string): void;
  /** Why the last session ended, if it did not end by signing out. */
  notice?: string;
}

/** The sign-in page: a development sign-in by user name where offered, else (and also) a pasted token. */
export const signInView = (root: HTMLElement, options: SignInOptions): void => {
  const status = h('p', { role: 'alert', class: 'error' }, options.notice ?? '');
  const submitting = (work: () => Promise<void>) => (event: Event) => {
    event.preventDefault();
    fill(status);
    work().catch((error: Error) => fill(status, error.message));
  };

  const name = h('input', {
    id: 'dev-user',
    name: 'user',
    required: true,
    autocomplete: 'username',
    maxlength: 128,
  });
  const dev = options.devAvailable
    ? h(
        'section',
        { class: 'card dev', 'aria-labelledby': 'dev-title' },
        h('h2', { id: 'dev-title' }, 'Development sign-in'),
        h(
          'p',
          { class: 'warning' },
          h('strong', {}, 'For development only. '),
          'This platform signs tokens with the public development secret (JWT_SECRET_KEY is not set): ' +
            'anyone can sign in as anyone. Type any user name.',
        ),
        h(
          'form',
          { onsubmit: submitting(async () => options.signedIn(await options.devToken(name.value.trim()))) },
          h('label', { for: 'dev-user' }, 'User name'),
          name,
          h('button', { type: 'submit' }, 'Sign in'),
        ),
      )
    : null;

  const token = h('textarea', {
    id: 'token',
    name: 'token',
    required: true,
    rows: 3,
    spellcheck: 'false',
    autocomplete: 'off',
  });
  const pasted = h(
    'section',
    { class: 'card', 'aria-labelledby': 'token-title' },
    h('h2', { id: 'token-title' }, options.devAvailable ? 'Or sign in with a token' : 'Sign in with a token'),
    h(
      'p',
      { class: 'muted' },
      'Paste a JWT issued for this platform (for a local one: ',
      h('code', {}, 'pnpm -s token alice'),
      ').',
    ),
    h(
      'form',
      { onsubmit: submitting(async () => options.signedIn(token.value.trim())) },
      h('label', { for: 'token' }, 'Token'),
      token,
      h('button', { type: 'submit' }, 'Sign in'),
    ),
  );

  fill(
    root,
    h(
      'main',
      { class: 'sign-in', 'aria-labelledby': 'sign-in-title' },
      h('h1', { id: 'sign-in-title' }, 'Chat'),
      status,
      dev,
      pasted,
    ),
  );
  (dev ? name : token).focus();
};

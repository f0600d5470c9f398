import { devSignIn } from './api';
import { ChatApp } from './chat-app';
import { h } from './dom';
import { subjectOf } from './state/token';
import { signInView } from './views/sign-in';

/** Per tab: two tabs can be two users. */
const TOKEN_KEY = 'chat.token';

const root = document.getElementById('app')!;
const wsUrl = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/ws`;

const signOut = (reason?: string) => {
  sessionStorage.removeItem(TOKEN_KEY);
  document.body.classList.remove('signed-in');
  void showSignIn(reason);
};

const startChat = (token: string) => {
  const me = subjectOf(token);
  if (!me) return signOut('That is not a token: it should be three base64url parts separated by dots.');
  sessionStorage.setItem(TOKEN_KEY, token);
  document.body.classList.add('signed-in');
  new ChatApp({ root, token, me, wsUrl, signOut }).start();
};

const showSignIn = async (notice?: string) => {
  root.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
  signInView(root, {
    devAvailable: await devSignIn.available(),
    devToken: (userId) => devSignIn.token(userId),
    signedIn: startChat,
    ...(notice ? { notice } : {}),
  });
};

const saved = sessionStorage.getItem(TOKEN_KEY);
if (saved) startChat(saved);
else void showSignIn();

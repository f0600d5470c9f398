import { startChat } from './chat-page';

/** The page's script. Its module also exports `startChat`, which the example's test drives. */
export { startChat };

const mount = (document: Document) => {
  const byId = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
  const [connect, compose, log] = [
    byId<HTMLFormElement>('connect'),
    byId<HTMLFormElement>('send'),
    byId('log'),
  ];
  connect.addEventListener('submit', async (event) => {
    event.preventDefault();
    const form = new FormData(connect);
    const chat = await startChat(
      String(form.get('url')),
      String(form.get('token')),
      String(form.get('room')),
      {
        state: (state) => (byId('state').textContent = state),
        message: (m) => {
          const item = document.createElement('li');
          item.textContent = `#${m.seq} ${m.sender_id}: ${m.content}`;
          log.append(item);
        },
        typing: (line) => (byId('typing').textContent = line),
      },
    );
    for (const control of compose.querySelectorAll<HTMLInputElement | HTMLButtonElement>('input, button')) {
      control.disabled = false;
    }
    compose.text.addEventListener('input', () => chat.typing());
    compose.addEventListener('submit', (send) => {
      send.preventDefault();
      void chat.send(compose.text.value);
      compose.text.value = '';
    });
  });
};

if (typeof document !== 'undefined') mount(document);

import { ChatClient, type ChatMessage, type ConnectionState } from '@chat/client';

export interface PageView {
  state(state: ConnectionState): void;
  message(message: ChatMessage): void;
  typing(line: string): void;
}

/**
 * What the page does, apart from the page: connect with the browser's own WebSocket (no option
 * needed), join one room, show what arrives, send what is typed.
 */
export const startChat = async (url: string, token: string, room: string, view: PageView) => {
  const client = new ChatClient({ url, token });
  client.on('state', (state) => view.state(state));
  client.on('message', (message) => message.room_id === room && view.message(message));
  client.on(
    'typing',
    (t) => t.room_id === room && view.typing(t.state === 'start' ? `${t.user_id} is typing…` : ''),
  );
  await client.connect();
  await client.join(room);
  return {
    client,
    send: (text: string) => client.send(room, text),
    typing: () => client.typing(room),
  };
};

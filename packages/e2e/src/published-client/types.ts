// Compiled against the installed package with Node's own module resolution: its types resolve
// without the workspace.
import { ChatClient, type Ack, type ChatError, type ChatMessage, type ServerFrames } from '@chat/client';

export const client = new ChatClient({ url: 'ws://localhost:8000/ws', token: async () => 'token' });
export const show = (message: ChatMessage): string =>
  `${message.room_id} #${message.seq}: ${message.content}`;
export const seqOf = (ack: Ack): number => ack.seq;
export const codeOf = (error: ChatError): string => error.code;
export type Joined = ServerFrames['room_joined'];

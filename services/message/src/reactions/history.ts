import type { ChatMessage } from '@chat/contracts';
import type { MessageReadModel } from '../read-model/port';

/**
 * The messages with their reactions as the viewer sees them (`me`: the viewer gave it). Pages of
 * history are runs of consecutive seqs, so one range read covers a page.
 */
export const withReactions = async (
  readModel: MessageReadModel,
  roomId: string,
  messages: ChatMessage[],
  viewerId: string,
): Promise<ChatMessage[]> => {
  if (messages.length === 0) return messages;
  const seqs = messages.map((message) => message.seq);
  const reactions = await readModel.listReactions(
    roomId,
    { fromSeq: Math.min(...seqs), toSeq: Math.max(...seqs) },
    viewerId,
  );
  return messages.map((message) => ({ ...message, reactions: reactions.get(message.seq) ?? [] }));
};

import type {
  CommandContext,
  ContentFilter,
  MessageServiceCommand,
  MessageServiceEvent,
  VerifiedFile,
} from '@chat/contracts';
import type { RetentionPolicy } from './retention/decide';

/**
 * What the decider knows besides the command itself. Time and limits come in here, set by the
 * handler when it decides, so the decider stays pure and a re-decided command decides the same.
 */
export interface DecisionContext extends CommandContext {
  /** When the command is decided (ISO 8601); the time stamped on the events it produces. */
  decided_at: string;
  /** The longest message content allowed, in Unicode code points. */
  max_message_length: number;
  /** The deployment's content filter (`moderation.*`); a room may add its own. */
  content_filter: ContentFilter;
  /** The deployment's retention: its default and the bounds of a room's own. */
  retention: RetentionPolicy;
  /** The verified upload a file message names, if this service's view of the media events has it. */
  shared_file?: VerifiedFile;
}

/** A command on one room's stream, as the room decider receives it. */
export type RoomCommand = MessageServiceCommand & { context: DecisionContext };
export type RoomCommandOf<K extends RoomCommand['type']> = Extract<RoomCommand, { type: K }>;

/** Everything the stream `room-<room_id>` carries: room, membership and message events. */
export type RoomEvent = MessageServiceEvent;

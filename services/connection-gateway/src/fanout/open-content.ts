import type { ChatMessage, EventRecord } from '@chat/contracts';
import { logRefusedContent, openContents, openMessageEvents } from '@chat/privacy';
import type { GatewayContext } from '../context';

/**
 * The event with its content opened, for the sockets: events travel sealed on the bus, and the
 * gateway is where they are shown.
 */
export const openEvent = async (ctx: GatewayContext, event: EventRecord): Promise<EventRecord> =>
  (await openMessageEvents(ctx.cipher, [event], logRefusedContent(ctx.logger)))[0]!;

/**
 * A resume page's messages with their content opened: pages travel sealed on the event topic, as
 * the read model holds them. A message whose key was destroyed shows as an empty tombstone
 * flagged `erased` or `expired`.
 */
export const openMessages = (ctx: GatewayContext, messages: ChatMessage[]): Promise<ChatMessage[]> =>
  openContents(ctx.cipher, messages, logRefusedContent(ctx.logger));

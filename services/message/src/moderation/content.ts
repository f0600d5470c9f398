import { combineContentFilters, refuseBlockedContent, type Rejection } from '@chat/contracts';
import type { DecisionContext } from '../room-command';
import type { RoomState } from '../rooms/room';

/**
 * Why the text may not be posted in the room or be its name (`content_blocked`): the deployment's
 * filter and the room's own, or null.
 */
export const refuseBlockedIn = (
  state: RoomState,
  context: DecisionContext,
  text: string,
  what: string,
): Rejection | null =>
  refuseBlockedContent(text, combineContentFilters(context.content_filter, state.contentFilter.filter), what);

import { type Consumer, eachRecord, startSpan, withSpan, type IncomingRecord } from '@chat/bus';
import {
  RECORD_KIND_HEADER,
  ROOM_PRESENCE_KIND,
  Topics,
  topicSpecs,
  type EventRecord,
  type Outcome,
  type MediaOutcome,
  type NotificationRefused,
  type PresenceChanged,
  type ReceiptAnnounced,
  type RoomPresenceShown,
  type TypingSignal,
  type UnreadAnnounced,
} from '@chat/contracts';
import type { GatewayContext } from '../context';
import { deliverRefusal } from '../notifications/mark-read';
import { deliverReceipt } from '../notifications/receipts';
import { deliverUnread } from '../notifications/unread';
import { deliverPresence, showRoomPresence } from '../presence/delivery';
import { deliverReportCreated } from '../moderation/report-created';
import { deliverRoomAdded } from '../rooms/room-added';
import { openEvent, openMessages } from '../fanout/open-content';
import { deliverWelcome } from '../mls/welcome';
import { onResumeAnswer } from './resume-answers';

/**
 * The gateway's consumers. Each gateway instance has its own groups starting at the live end:
 * every instance must see every event, status change, typing signal, unread count and read receipt (fan-out) and every
 * outcome (it picks its own).
 */
export const startConsumers = async (ctx: GatewayContext): Promise<Consumer[]> => {
  // Whichever process starts first creates the topics; the call is idempotent.
  await ctx.bus.ensureTopics(
    topicSpecs(
      Topics.messageEvents,
      Topics.messageOutcomes,
      Topics.messageCommands,
      Topics.messageQueries,
      Topics.mediaCommands,
      Topics.mediaOutcomes,
      Topics.notificationCommands,
      Topics.notificationUnread,
      Topics.notificationReceipts,
      Topics.notificationOutcomes,
      Topics.presenceSignals,
      Topics.presenceChanges,
      Topics.presenceTyping,
      Topics.authFailures,
    ),
  );
  const events = await ctx.bus.consume({
    groupId: `${ctx.instanceId}.fanout`,
    topics: [Topics.messageEvents],
    startFrom: 'latest',
    handleBatch: eachRecord(async (record: IncomingRecord) => {
      const kind = record.headers[RECORD_KIND_HEADER];
      if (kind === 'resume_page' || kind === 'resume_refused') {
        const answer = JSON.parse(record.value) as Extract<Outcome, { kind: typeof kind }>;
        if (answer.kind === 'resume_page') answer.messages = await openMessages(ctx, answer.messages);
        return onResumeAnswer(ctx, answer);
      }
      const event = await openEvent(ctx, JSON.parse(record.value) as EventRecord);
      const span = startSpan('fanout', { 'chat.stream': event.stream, 'chat.event.type': event.type });
      await withSpan(span, async () => {
        // A repeat (the relay delivers at least once) was delivered the first time.
        const published = ctx.fanout.publishEvent(event);
        span.setAttribute('chat.repeat', !published);
        if (!published) return;
        deliverRoomAdded(ctx, event);
        deliverWelcome(ctx, event);
        await deliverReportCreated(ctx, event);
      });
    }),
  });
  const outcomes = await ctx.bus.consume({
    groupId: `${ctx.instanceId}.outcomes`,
    topics: [Topics.messageOutcomes, Topics.mediaOutcomes],
    startFrom: 'latest',
    handleBatch: eachRecord(async (record) => {
      if (record.topic === Topics.mediaOutcomes) {
        const verdict = JSON.parse(record.value) as MediaOutcome;
        if (verdict.reply_to === ctx.instanceId) ctx.verifications.settle(verdict.command_id, verdict);
        return;
      }
      const outcome = JSON.parse(record.value) as Outcome;
      if (
        (outcome.kind === 'accepted' || outcome.kind === 'rejected') &&
        outcome.reply_to === ctx.instanceId
      ) {
        ctx.pending.settle(outcome.command_id, outcome);
      }
    }),
  });
  const presence = await ctx.bus.consume({
    groupId: `${ctx.instanceId}.presence`,
    topics: [Topics.presenceChanges, Topics.presenceTyping],
    startFrom: 'latest',
    handleBatch: eachRecord(async (record) => {
      if (record.topic === Topics.presenceTyping)
        ctx.typing.onSignal(JSON.parse(record.value) as TypingSignal);
      else if (record.headers[RECORD_KIND_HEADER] === ROOM_PRESENCE_KIND)
        showRoomPresence(ctx, JSON.parse(record.value) as RoomPresenceShown);
      else deliverPresence(ctx, JSON.parse(record.value) as PresenceChanged);
    }),
  });
  const unread = await ctx.bus.consume({
    groupId: `${ctx.instanceId}.unread`,
    topics: [Topics.notificationUnread],
    startFrom: 'latest',
    handleBatch: eachRecord(async (record) =>
      deliverUnread(ctx, JSON.parse(record.value) as UnreadAnnounced),
    ),
  });
  const receipts = await ctx.bus.consume({
    groupId: `${ctx.instanceId}.receipts`,
    topics: [Topics.notificationReceipts, Topics.notificationOutcomes],
    startFrom: 'latest',
    handleBatch: eachRecord(async (record) => {
      if (record.topic === Topics.notificationOutcomes)
        deliverRefusal(ctx, JSON.parse(record.value) as NotificationRefused);
      else deliverReceipt(ctx, JSON.parse(record.value) as ReceiptAnnounced);
    }),
  });
  await Promise.all([events.ready, outcomes.ready, presence.ready, unread.ready, receipts.ready]);
  return [events, outcomes, presence, unread, receipts];
};

import type { TSchema } from '@sinclair/typebox';
import { AuthFailureSummary } from './audit/records';
import { EventRecord } from './envelope';
import { ClientFrames } from './frames/client';
import { CloseCode, ServerFrames } from './frames/server';
import { CommandRecord, MessageServiceCommands, ResumeQuery } from './message/commands';
import { MediaCommandRecord, MediaOutcome } from './media/commands';
import { MediaServiceEvents } from './media/events';
import { MessageServiceEvents } from './message/events';
import { UserSuspensionEvents } from './moderation/suspension';
import { UserErasureEvents } from './privacy/erasure';
import { Outcome } from './message/outcomes';
import { RoomAccess } from './message/room-access';
import {
  NotificationCommandRecord,
  NotificationRefused,
  NotificationServiceEvents,
} from './notification/events';
import { UnreadAnnounced } from './notification/unread';
import { ReceiptAnnounced } from './notification/receipts';
import { PresenceChanged, PresenceSignals, RoomPresenceShown, TypingSignal } from './presence/signals';
import { Topics } from './topics';

/** Strips TypeBox's symbol keys: what remains is plain JSON Schema. */
const plain = (schema: TSchema): unknown => JSON.parse(JSON.stringify(schema));

const messagesOf = (prefix: string, schemas: Record<string, TSchema>) =>
  Object.fromEntries(
    Object.entries(schemas).map(([name, schema]) => [
      `${prefix}.${name}`,
      { name, title: name, contentType: 'application/json', payload: plain(schema) },
    ]),
  );

const refs = (channel: string, messages: Record<string, unknown>) =>
  Object.keys(messages).map((id) => ({ $ref: `#/channels/${channel}/messages/${id}` }));

/**
 * The AsyncAPI 3 document of the WebSocket protocol and the Kafka topics, generated from the
 * contract schemas so it cannot drift from what the code validates.
 */
export const buildAsyncApi = () => {
  const clientFrames = messagesOf('client', ClientFrames);
  const serverFrames = messagesOf('server', ServerFrames);
  const events = messagesOf('event', MessageServiceEvents);
  const commands = messagesOf('command', MessageServiceCommands);
  const mediaEvents = messagesOf('media_event', MediaServiceEvents);
  const notificationEvents = messagesOf('notification_event', NotificationServiceEvents);
  const suspensionEvents = messagesOf('suspension_event', UserSuspensionEvents);
  const erasureEvents = messagesOf('erasure_event', UserErasureEvents);
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Chat platform: WebSocket protocol and service topics',
      version: '0.1.0',
      description: [
        'Clients connect to `/ws`, send `authenticate` first (only `authenticate` and `ping` are accepted before),',
        'then join rooms and send messages. Every refusal is an `error` frame {code, message, ref}.',
        `Close codes: ${Object.entries(CloseCode)
          .map(([name, code]) => `${code} ${name}`)
          .join(', ')}.`,
      ].join(' '),
    },
    servers: {
      gateway: { host: 'localhost:8000', pathname: '/ws', protocol: 'ws' },
      kafka: { host: 'localhost:9092', protocol: 'kafka' },
    },
    channels: {
      ws: {
        address: '/ws',
        servers: [{ $ref: '#/servers/gateway' }],
        messages: { ...clientFrames, ...serverFrames },
      },
      [Topics.messageCommands]: {
        address: Topics.messageCommands,
        description: 'Commands to the message service; key: room id. Envelope CommandRecord.',
        servers: [{ $ref: '#/servers/kafka' }],
        messages: { CommandRecord: { name: 'CommandRecord', payload: plain(CommandRecord) }, ...commands },
      },
      [Topics.messageEvents]: {
        address: Topics.messageEvents,
        description:
          'Domain events relayed from the event store (header kind=event, envelope EventRecord), and ' +
          'answers to resume queries (header kind=resume_page|resume_refused); key: room id.',
        servers: [{ $ref: '#/servers/kafka' }],
        messages: { EventRecord: { name: 'EventRecord', payload: plain(EventRecord) }, ...events },
      },
      [Topics.roomAccess]: {
        address: Topics.roomAccess,
        description:
          "Each room's whole access state, published by the message service's relay before the events " +
          'that changed it; key: room id; compacted (cleanup.policy=compact): the newest record of ' +
          'every room, kept forever. A reader keeps a record only if its revision is higher.',
        servers: [{ $ref: '#/servers/kafka' }],
        messages: { RoomAccess: { name: 'RoomAccess', payload: plain(RoomAccess) } },
      },
      [Topics.userSuspensions]: {
        address: Topics.userSuspensions,
        description:
          "Platform suspensions, relayed from the message service's `user-<user_id>` streams (envelope " +
          'EventRecord); key: user id; compacted: each event is the whole suspension state of its user, ' +
          'so the newest per user is kept forever and is all a reader needs.',
        servers: [{ $ref: '#/servers/kafka' }],
        messages: { EventRecord: { name: 'EventRecord', payload: plain(EventRecord) }, ...suspensionEvents },
      },
      [Topics.userErasures]: {
        address: Topics.userErasures,
        description:
          "Erasures of users' personal data, relayed from the message service's `user-<user_id>` streams " +
          '(envelope EventRecord); key: user id; compacted and kept forever, without content: every ' +
          'projection purges what it holds of the user and takes in nothing of theirs afterwards.',
        servers: [{ $ref: '#/servers/kafka' }],
        messages: { EventRecord: { name: 'EventRecord', payload: plain(EventRecord) }, ...erasureEvents },
      },
      deadLetters: {
        address: '{topic}.dlq',
        description:
          'Records a consumer could not handle after its retries (a transient failure is retried until ' +
          'it passes instead): the same key, value and headers, plus dlq.group, dlq.topic, ' +
          'dlq.partition, dlq.offset, dlq.failures, dlq.error and dlq.at. One partition per topic.',
        parameters: { topic: { description: 'The topic the record was read from, e.g. message.events.' } },
        servers: [{ $ref: '#/servers/kafka' }],
      },
      [Topics.messageQueries]: {
        address: Topics.messageQueries,
        description: 'History reads for resuming clients; key: room id.',
        servers: [{ $ref: '#/servers/kafka' }],
        messages: { ResumeQuery: { name: 'ResumeQuery', payload: plain(ResumeQuery) } },
      },
      [Topics.messageOutcomes]: {
        address: Topics.messageOutcomes,
        description: 'Outcomes of commands; key: the gateway instance awaiting them.',
        servers: [{ $ref: '#/servers/kafka' }],
        messages: { Outcome: { name: 'Outcome', payload: plain(Outcome) } },
      },
      [Topics.mediaEvents]: {
        address: Topics.mediaEvents,
        description:
          "The media service's domain events relayed from its event store (envelope EventRecord); key: file id.",
        servers: [{ $ref: '#/servers/kafka' }],
        messages: { EventRecord: { name: 'EventRecord', payload: plain(EventRecord) }, ...mediaEvents },
      },
      [Topics.mediaCommands]: {
        address: Topics.mediaCommands,
        description: 'Uploads to verify before a `share_file`, from the gateways; key: file id.',
        servers: [{ $ref: '#/servers/kafka' }],
        messages: {
          MediaCommandRecord: { name: 'MediaCommandRecord', payload: plain(MediaCommandRecord) },
        },
      },
      [Topics.mediaOutcomes]: {
        address: Topics.mediaOutcomes,
        description: 'Verdicts on uploads to verify; key: the gateway instance awaiting them.',
        servers: [{ $ref: '#/servers/kafka' }],
        messages: { MediaOutcome: { name: 'MediaOutcome', payload: plain(MediaOutcome) } },
      },
      [Topics.notificationCommands]: {
        address: Topics.notificationCommands,
        description: "Commands to the notification service (a client's `mark_read`); key: user id.",
        servers: [{ $ref: '#/servers/kafka' }],
        messages: {
          NotificationCommandRecord: {
            name: 'NotificationCommandRecord',
            payload: plain(NotificationCommandRecord),
          },
        },
      },
      [Topics.notificationEvents]: {
        address: Topics.notificationEvents,
        description:
          "The notification service's domain events relayed from its event store (envelope EventRecord); key: user id.",
        servers: [{ $ref: '#/servers/kafka' }],
        messages: {
          EventRecord: { name: 'EventRecord', payload: plain(EventRecord) },
          ...notificationEvents,
        },
      },
      [Topics.notificationUnread]: {
        address: Topics.notificationUnread,
        description:
          "Unread counts for a user's connections, from the notification service to every gateway; key: user id.",
        servers: [{ $ref: '#/servers/kafka' }],
        messages: { UnreadAnnounced: { name: 'UnreadAnnounced', payload: plain(UnreadAnnounced) } },
      },
      [Topics.notificationReceipts]: {
        address: Topics.notificationReceipts,
        description:
          "Members' read receipts, coalesced (one a second per user and room), from the notification service to every gateway; key: room id.",
        servers: [{ $ref: '#/servers/kafka' }],
        messages: { ReceiptAnnounced: { name: 'ReceiptAnnounced', payload: plain(ReceiptAnnounced) } },
      },
      [Topics.notificationOutcomes]: {
        address: Topics.notificationOutcomes,
        description:
          'Refused notification commands, answered by the gateway as an `error` frame; key: the gateway instance.',
        servers: [{ $ref: '#/servers/kafka' }],
        messages: {
          NotificationRefused: { name: 'NotificationRefused', payload: plain(NotificationRefused) },
        },
      },
      [Topics.presenceSignals]: {
        address: Topics.presenceSignals,
        description:
          "Connection lifecycle signals from the gateways, and the presence sweeper's expiry checks; key: user id.",
        servers: [{ $ref: '#/servers/kafka' }],
        messages: messagesOf('presence_signal', PresenceSignals),
      },
      [Topics.presenceChanges]: {
        address: Topics.presenceChanges,
        description:
          'Status changes published by the presence service, and the presence of a room shown to a connection that joined it (header `kind: room_presence`); key: user id.',
        servers: [{ $ref: '#/servers/kafka' }],
        messages: {
          PresenceChanged: { name: 'PresenceChanged', payload: plain(PresenceChanged) },
          RoomPresenceShown: { name: 'RoomPresenceShown', payload: plain(RoomPresenceShown) },
        },
      },
      [Topics.presenceTyping]: {
        address: Topics.presenceTyping,
        description: 'Typing signals from the gateway of the typer to every gateway; key: room id.',
        servers: [{ $ref: '#/servers/kafka' }],
        messages: { TypingSignal: { name: 'TypingSignal', payload: plain(TypingSignal) } },
      },
      [Topics.authFailures]: {
        address: Topics.authFailures,
        description:
          'Failed authentications per subject per minute, from each gateway to the audit log; key: subject.',
        servers: [{ $ref: '#/servers/kafka' }],
        messages: {
          AuthFailureSummary: { name: 'AuthFailureSummary', payload: plain(AuthFailureSummary) },
        },
      },
    },
    operations: {
      clientSends: {
        action: 'receive',
        channel: { $ref: '#/channels/ws' },
        messages: refs('ws', clientFrames),
      },
      serverSends: { action: 'send', channel: { $ref: '#/channels/ws' }, messages: refs('ws', serverFrames) },
    },
  };
};

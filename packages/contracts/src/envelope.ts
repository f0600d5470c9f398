import { Type, type Static } from '@sinclair/typebox';

export const EventMetadata = Type.Object({
  correlation_id: Type.String(),
  causation_id: Type.String({ description: 'The command id that produced the event.' }),
  actor_id: Type.String(),
});
export type EventMetadata = Static<typeof EventMetadata>;

/** A domain event as the relay publishes it on a service's event topic, keyed by aggregate id. */
export const EventRecord = Type.Object({
  event_id: Type.String(),
  type: Type.String(),
  stream: Type.String(),
  revision: Type.Integer({ minimum: 0, description: 'Position in its stream; consumers dedupe by it.' }),
  data: Type.Unknown(),
  metadata: EventMetadata,
  recorded_at: Type.String({ format: 'date-time' }),
});
export type EventRecord = Static<typeof EventRecord>;

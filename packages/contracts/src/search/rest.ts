import { Type, type Static } from '@sinclair/typebox';
import { MessageId, RoomId, Seq, Timestamp, UserId } from '../primitives';

/** `GET /api/search/messages`: the messages of the caller's rooms that contain every word of `q`. */
export const SearchQuery = Type.Object({
  q: Type.String({
    minLength: 1,
    maxLength: 1024,
    description: 'Words a message must all contain (any case).',
  }),
  room_id: Type.Optional(RoomId),
  from_user: Type.Optional(UserId),
  before: Type.Optional(Type.String({ format: 'date-time', description: 'Only messages created before.' })),
  after: Type.Optional(Type.String({ format: 'date-time', description: 'Only messages created after.' })),
  sort: Type.Optional(
    Type.Union([Type.Literal('recent'), Type.Literal('relevance')], {
      default: 'recent',
      description: '`recent`: newest first; `relevance`: best match first.',
    }),
  ),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  cursor: Type.Optional(
    Type.String({
      maxLength: 2048,
      description: 'The `next_cursor` of the previous page (same query and sort).',
    }),
  ),
});

export const SearchHit = Type.Object({
  message_id: MessageId,
  room_id: RoomId,
  seq: Seq,
  sender_id: UserId,
  content: Type.String({ description: 'The content as it now reads.' }),
  created_at: Timestamp,
  edited_at: Type.Union([Timestamp, Type.Null()]),
  thread_id: Type.Union([MessageId, Type.Null()], { description: "A thread reply's root; null otherwise." }),
  highlight: Type.String({
    description: 'The content as HTML: every character escaped, each matched word in `<mark>`.',
  }),
});
export type SearchHit = Static<typeof SearchHit>;

export const SearchPage = Type.Object({
  hits: Type.Array(SearchHit),
  next_cursor: Type.Union([Type.String(), Type.Null()], { description: 'null: this is the last page.' }),
});
export type SearchPage = Static<typeof SearchPage>;

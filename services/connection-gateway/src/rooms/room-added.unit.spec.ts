import type { EventRecord, MessageServiceEvent } from '@chat/contracts';
import { describe, expect, it } from 'vitest';
import type { GatewayContext } from '../context';
import type { Connection } from '../sessions/connection';
import { deliverRoomAdded } from './room-added';

/** A gateway holding two sockets of `bob`, one of `alice` and one of `eve`; records what each is sent. */
const gatewayWithSockets = () => {
  const sent: { connection: string; frame: unknown }[] = [];
  const socket = (id: string) => ({ id }) as Connection;
  const ctx = {
    usersOnline: new Map([
      ['alice', new Set([socket('alice-1')])],
      ['bob', new Set([socket('phone'), socket('laptop')])],
      ['eve', new Set([socket('eve-1')])],
    ]),
    outbox: {
      sendRaw: (connection: Connection, text: string) =>
        sent.push({ connection: connection.id, frame: JSON.parse(text) }),
    },
  } as unknown as GatewayContext;
  return { ctx, sent };
};

const recordOf = ({ type, data }: MessageServiceEvent): EventRecord => ({
  event_id: 'e1',
  type,
  stream: 'room-dm-1',
  revision: 0,
  data,
  metadata: { correlation_id: 'c', causation_id: 'c', actor_id: 'alice' },
  recorded_at: '2024-05-01T10:00:00.000Z',
});

const created = (extra: { kind?: 'group' | 'direct'; members?: string[] }) =>
  recordOf({
    type: 'RoomCreated',
    data: {
      room_id: 'dm-1',
      name: '',
      private: true,
      owner_id: 'system',
      created_at: '2024-05-01T10:00:00.000Z',
      ...extra,
    },
  });

describe('room_added delivered by a gateway', () => {
  it("tells every socket of both members of a new direct room, and nobody else's", () => {
    const { ctx, sent } = gatewayWithSockets();
    deliverRoomAdded(ctx, created({ kind: 'direct', members: ['alice', 'bob'] }));
    const frame = { type: 'room_added', room_id: 'dm-1', kind: 'direct', members: ['alice', 'bob'] };
    expect(sent).toEqual([
      { connection: 'alice-1', frame },
      { connection: 'phone', frame },
      { connection: 'laptop', frame },
    ]);
  });

  it('says nothing of a group room, nor of other events', () => {
    const { ctx, sent } = gatewayWithSockets();
    deliverRoomAdded(ctx, created({}));
    deliverRoomAdded(ctx, created({ kind: 'group' }));
    deliverRoomAdded(
      ctx,
      recordOf({
        type: 'MemberJoined',
        data: { room_id: 'dm-1', user_id: 'bob', role: 'member', added_by: 'alice', joined_at: 'x' },
      }),
    );
    expect(sent).toEqual([]);
  });
});

import type { UnreadAnnounced } from '@chat/contracts';
import { describe, expect, it } from 'vitest';
import type { GatewayContext } from '../context';
import type { Connection } from '../sessions/connection';
import { deliverUnread } from './unread';

/** A gateway `g1` holding two sockets of `bob` and one of `eve`; records what each socket is sent. */
const gatewayWithSockets = () => {
  const sent: { connection: string; frame: unknown }[] = [];
  const socket = (id: string) => ({ id }) as Connection;
  const ctx = {
    instanceId: 'g1',
    usersOnline: new Map([
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

const rooms = [{ room_id: 'r1', unread: 2, last_seq: 9 }];

describe('unread counts delivered by a gateway', () => {
  it('sends the counts of an opened connection to that socket only', () => {
    const { ctx, sent } = gatewayWithSockets();
    const announced: UnreadAnnounced = { user_id: 'bob', connection_id: 'laptop', gateway: 'g1', rooms };
    deliverUnread(ctx, announced);
    expect(sent).toEqual([{ connection: 'laptop', frame: { type: 'unread', rooms } }]);
  });

  it('leaves a connection held by another gateway to that gateway', () => {
    const { ctx, sent } = gatewayWithSockets();
    deliverUnread(ctx, { user_id: 'bob', connection_id: 'laptop', gateway: 'g2', rooms });
    expect(sent).toEqual([]);
  });

  it("sends a moved read mark to every socket of the user, and nobody else's", () => {
    const { ctx, sent } = gatewayWithSockets();
    deliverUnread(ctx, { user_id: 'bob', connection_id: null, gateway: null, rooms });
    expect(sent.map(({ connection }) => connection)).toEqual(['phone', 'laptop']);
  });
});

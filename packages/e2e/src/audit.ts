import { signToken } from '@chat/runtime';
import { eventually, TestSocket } from '@chat/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiResponse, Harness } from './harness';

interface Stored {
  audit_id: string;
  seq: number;
  actor: string;
  action: string;
  target: { type: string; id: string };
  room_id?: string;
  reason?: string;
}

/** A running platform, as the audit scenario drives it. */
export interface AuditPlatform {
  /** The platform's endpoints (they may change when the gateways restart). */
  harness(): Harness;
  /** Has the gateways publish the failed authentications they counted: they do when they stop. */
  restartGateways(): Promise<void>;
  /** Changes a stored record's `actor` in the audit read model, behind the service's back. */
  editActor(auditId: string, actor: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The audit log end to end: moderation over REST and failed authentications over WebSocket become
 * records; administrators read them all, owners their rooms'; the chain verifies, and an edit made
 * behind the service's back is found.
 */
/** `timeoutMs`: how long records may take to appear. */
export const describeAuditLog = (name: string, start: () => Promise<AuditPlatform>, timeoutMs: number) =>
  describe(name, () => {
    let platform: AuditPlatform;
    let h: Harness;
    let room: string;
    let otherRoom: string;
    let deletedByOwner: string;

    const admin = async (path: string): Promise<ApiResponse> => {
      const token = await h.token('auditor', { admin: true });
      const response = await fetch(`${h.apiUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
      return { status: response.status, body: await response.json() };
    };
    const failAuthentication = async (token: string) => {
      const socket = await TestSocket.open(h.wsUrl);
      socket.send({ type: 'authenticate', token });
      await socket.nextOfType('error', 5_000);
      socket.close();
    };

    beforeAll(async () => {
      platform = await start();
      h = platform.harness();

      const created = await h.api('olga', 'POST', '/api/rooms', { name: 'audited', members: ['pete'] });
      room = created.body.room_id;
      otherRoom = (await h.api('rita', 'POST', '/api/rooms', { name: 'elsewhere' })).body.room_id;
      expect((await h.api('olga', 'POST', `/api/rooms/${room}/members`, { user_id: 'quinn' })).status).toBe(
        201,
      );
      expect((await h.api('olga', 'DELETE', `/api/rooms/${room}/members/pete`)).status).toBe(204);
      const post = async (user: string, content: string) =>
        (await h.api(user, 'POST', `/api/rooms/${room}/messages`, { content })).body.message_id as string;
      deletedByOwner = await post('quinn', 'something to moderate');
      const ownMessage = await post('olga', 'a typo');
      expect((await h.api('olga', 'DELETE', `/api/rooms/${room}/messages/${deletedByOwner}`)).status).toBe(
        204,
      );
      expect((await h.api('olga', 'DELETE', `/api/rooms/${room}/messages/${ownMessage}`)).status).toBe(204);

      const forged = await signToken('not-the-platform-secret-0123456789abcdef', { userId: 'mallory' });
      await failAuthentication(forged);
      await failAuthentication(forged);
      await failAuthentication('not-a-token');
      // A gateway publishes a minute's failures once it ended, or when it stops.
      await platform.restartGateways();
      h = platform.harness();
    }, timeoutMs);
    afterAll(() => platform?.stop());

    it("records the room's moderation, and not a sender deleting their own message", async () => {
      const records = await eventually(async () => {
        const page = await admin(`/api/audit?room_id=${room}`);
        expect(page.body.records).toHaveLength(6);
        return page.body.records as Stored[];
      }, timeoutMs);
      expect(records.map(({ actor, action, target }) => [actor, action, target.id]).reverse()).toEqual([
        ['olga', 'room.created', room],
        ['olga', 'member.added', 'olga'],
        ['olga', 'member.added', 'pete'],
        ['olga', 'member.added', 'quinn'],
        ['olga', 'member.removed', 'pete'],
        ['olga', 'message.deleted', deletedByOwner],
      ]);
    });

    it('records failed authentications per user (or address) per minute', async () => {
      const records = await eventually(async () => {
        const page = await admin('/api/audit?action=auth.failed');
        expect(page.body.records).toHaveLength(2);
        return page.body.records as Stored[];
      }, timeoutMs);
      expect(records).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            actor: 'mallory',
            target: { type: 'user', id: 'mallory' },
            reason: '2 failed authentications in the minute (invalid_token ×2)',
          }),
          expect.objectContaining({ actor: 'anonymous', target: { type: 'address', id: '127.0.0.1' } }),
        ]),
      );
    });

    it('shows an owner only the records of their rooms, and refuses everyone else', async () => {
      const own = await h.api('olga', 'GET', '/api/audit');
      expect(own.status).toBe(200);
      expect(new Set(own.body.records.map((record: Stored) => record.room_id))).toEqual(new Set([room]));
      expect(await h.api('olga', 'GET', `/api/audit?room_id=${otherRoom}`)).toMatchObject({
        status: 403,
        body: { code: 'forbidden' },
      });
      expect(await h.api('quinn', 'GET', '/api/audit')).toMatchObject({
        status: 403,
        body: { code: 'forbidden' },
      });
      expect(await h.api('olga', 'GET', '/api/audit/verify')).toMatchObject({
        status: 403,
        body: { code: 'forbidden' },
      });
    });

    it('pages with an opaque cursor and narrows by actor and time', async () => {
      const all = (await admin('/api/audit?limit=200')).body.records as Stored[];
      const paged: Stored[] = [];
      for (let cursor: string | null = null; ;) {
        const page: { body: { records: Stored[]; next_cursor: string | null } } = await admin(
          `/api/audit?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        paged.push(...page.body.records);
        cursor = page.body.next_cursor;
        if (!cursor) break;
      }
      expect(paged).toEqual(all);
      expect(
        (await admin('/api/audit?actor=rita')).body.records.map((record: Stored) => record.action),
      ).toEqual(['member.added', 'room.created']);
      expect((await admin('/api/audit?since=2999-01-01T00:00:00Z')).body.records).toEqual([]);
      expect((await admin('/api/audit?until=2000-01-01T00:00:00Z')).body.records).toEqual([]);
      expect(await admin('/api/audit?cursor=bogus')).toMatchObject({
        status: 400,
        body: { code: 'invalid_request' },
      });
    });

    it('verifies the chain, and points at a record edited behind the service’s back', async () => {
      const verified = await admin('/api/audit/verify');
      const total = (await admin('/api/audit?limit=200')).body.records.length;
      expect(verified).toEqual({ status: 200, body: { ok: true, records: total } });

      const target = (await admin(`/api/audit?room_id=${room}&action=message.deleted`)).body
        .records[0] as Stored;
      await platform.editActor(target.audit_id, 'quinn');

      expect(await admin('/api/audit/verify')).toEqual({
        status: 200,
        body: {
          ok: false,
          records: total,
          first_broken: { seq: target.seq, audit_id: target.audit_id, reason: 'hash_mismatch' },
        },
      });
    });

    it('is in the OpenAPI document like every REST route', async () => {
      const doc = (await (await fetch(`${h.apiUrl}/api-docs/openapi.json`)).json()) as {
        paths: Record<string, { get?: { tags?: string[]; parameters?: { name: string }[] } }>;
      };
      expect(doc.paths['/api/audit']?.get?.tags).toEqual(['audit']);
      expect(doc.paths['/api/audit']?.get?.parameters?.map((parameter) => parameter.name)).toEqual(
        expect.arrayContaining(['room_id', 'actor', 'action', 'since', 'until', 'cursor']),
      );
      expect(doc.paths['/api/audit/verify']?.get).toBeDefined();
    });
  });

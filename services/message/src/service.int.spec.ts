import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { EmbeddedBus } from '@chat/bus/embedded';
import {
  RECORD_KIND_HEADER,
  Topics,
  type CommandRecord,
  type MessageServiceCommand,
  type Outcome,
  type ResumeQuery,
  type RoomAccess,
} from '@chat/contracts';
import { SqliteCheckpointStore } from '@chat/event-sourcing/sqlite';
import { SqliteEventStore } from '@chat/eventstore/sqlite';
import { commandContentAad, contentAad, isSealed, kekOf } from '@chat/privacy';
import { SqliteKeyStore } from '@chat/privacy/sqlite';
import { cipherInMemory } from '@chat/privacy/testing';
import {
  createAuthenticator,
  createHttpApp,
  createLogger,
  InMemoryRateLimiter,
  loadSettings,
  Registry,
  signToken,
  type HttpApp,
} from '@chat/runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteAuditReadModel } from './audit/adapters/sqlite-audit-read-model';
import { SqliteKeyPackageDirectory } from './mls/key-packages/sqlite-key-package-directory';
import { SqliteReadModel } from './read-model/sqlite-read-model';
import { DAY_MS } from './retention/decide';
import { cipherShredder } from './retention/cipher-shredder';
import { createMessageService } from './service';

const SECRET = 'message-service-test-secret-0123456789';
const ROOMS_PER_DAY = 4;
const MESSAGES_PER_MINUTE = 30;
/** The ENCRYPTION_KEY of every boot: a restart on the same files reads what was sealed before. */
const KEK = kekOf(Buffer.alloc(32, 7));

/** The whole service on its embedded adapters, on files in `directory` (which outlive it). */
const boot = async (directory: string) => {
  const file = (name: string) => join(directory, name);
  const logger = createLogger('message-test', 'silent');
  const defaults = loadSettings({});
  const settings = {
    ...defaults,
    rate_limiting: {
      ...defaults.rate_limiting,
      rooms_per_day: ROOMS_PER_DAY,
      messages_per_minute: MESSAGES_PER_MINUTE,
    },
  };
  const store = SqliteEventStore.open(file('events.db'));
  const bus = EmbeddedBus.open(file('bus.db'));
  const readModel = SqliteReadModel.open(file('read-model.db'));
  const audit = SqliteAuditReadModel.open(file('audit.db'));
  const keyPackages = SqliteKeyPackageDirectory.open(file('key-packages.db'));
  const projectionLag = { ms: 0 };
  const checkpoints = SqliteCheckpointStore.open(file('checkpoints.db'));
  const keyStore = SqliteKeyStore.open(file('keys.db'));
  const cipher = await cipherInMemory(keyStore, KEK);
  const appendDelay = { ms: 0 };
  const service = createMessageService({
    store: delayed(store, 'appendMany', appendDelay),
    bus,
    readModel: delayed(readModel, 'applyBatch', projectionLag),
    audit,
    keyPackages,
    checkpoints,
    settings,
    logger,
    registry: new Registry(),
    limiter: new InMemoryRateLimiter(),
    cipher,
    keys: cipher,
    roomKeys: cipherShredder(cipher, DAY_MS),
  });
  const app = await createHttpApp({
    title: 'message',
    logger,
    authenticator: createAuthenticator({ secret: SECRET }),
  });
  service.registerRoutes(app);
  await app.ready();
  await service.start();

  // What the service answers: command outcomes, and resume answers on the rooms' event partitions.
  const answers: Answer[] = [];
  const listener = await bus.consume({
    groupId: `answers-${crypto.randomUUID()}`,
    topics: [Topics.messageOutcomes, Topics.messageEvents],
    startFrom: 'latest',
    handleBatch: async ({ records }) => {
      for (const { topic, key, headers, value } of records) {
        if (topic === Topics.messageOutcomes || headers[RECORD_KIND_HEADER])
          answers.push({ topic, key, outcome: JSON.parse(value) });
      }
    },
  });
  await listener.ready;

  return {
    service,
    app,
    bus,
    readModel,
    projectionLag,
    appendDelay,
    answers,
    cipher,
    async stop() {
      await listener.stop();
      await service.stop();
      await app.close();
      await bus.close();
      await store.close();
      await readModel.close();
      await audit.close();
      await keyPackages.close();
      checkpoints.close();
      await keyStore.close();
    },
  };
};
type Booted = Awaited<ReturnType<typeof boot>>;

/** `target` with its `method` slowed down by `lag.ms` (0: not at all). */
const delayed = <T extends object>(target: T, method: keyof T, lag: { ms: number }): T =>
  new Proxy(target, {
    get(object, property) {
      const value = Reflect.get(object, property);
      if (typeof value !== 'function') return value;
      if (property !== method) return value.bind(object);
      return async (...args: unknown[]) => {
        await sleep(lag.ms);
        return value.apply(object, args);
      };
    },
  });
interface Answer {
  topic: string;
  key: string;
  outcome: Outcome;
}

const tokens = new Map<string, Promise<string>>();
const tokenOf = (userId: string) => {
  if (!tokens.has(userId)) tokens.set(userId, signToken(SECRET, { userId, admin: userId === 'root' }));
  return tokens.get(userId)!;
};

const api = async (app: HttpApp, userId: string | null, method: string, url: string, body?: unknown) => {
  const token = userId === null ? null : await tokenOf(userId);
  const response = await app.inject({
    method: method as 'GET',
    url,
    headers: token ? { authorization: `Bearer ${token}` } : {},
    ...(body === undefined ? {} : { payload: body as object }),
  });
  return {
    status: response.statusCode,
    headers: response.headers,
    body: response.body ? response.json() : null,
  };
};

const eventually = async <T>(find: () => T | undefined, timeoutMs = 5_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(10);
  }
};

describe('message service', () => {
  let directory: string;
  let booted: Booted;
  const as = (userId: string | null) => ({
    get: (url: string) => api(booted.app, userId, 'GET', url),
    post: (url: string, body: unknown = {}) => api(booted.app, userId, 'POST', url, body),
    put: (url: string, body: unknown) => api(booted.app, userId, 'PUT', url, body),
    delete: (url: string) => api(booted.app, userId, 'DELETE', url),
  });
  const createRoom = async (owner: string, body: { name: string; private?: boolean; members?: string[] }) => {
    const created = await as(owner).post('/api/rooms', body);
    expect(created.status).toBe(201);
    return created.body.room_id as string;
  };
  const contents = (page: { messages: { content: string }[] }) =>
    page.messages.map((message) => message.content);

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'message-service-'));
    booted = await boot(directory);
  });
  afterAll(async () => {
    await booted.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  it('is ready once started, with the public general room', async () => {
    expect(booted.service.notReady()).toEqual([]);
    expect((await as('anyone').get('/api/rooms/general')).body).toMatchObject({
      room_id: 'general',
      private: false,
      owner_id: 'system',
    });
  });

  describe('over the bus', () => {
    let commands = 0;
    const publish = async (
      actorId: string,
      command: MessageServiceCommand | CommandRecord['command'],
      commandId?: string,
    ) => {
      const command_id = commandId ?? `bus-${++commands}`;
      const record: CommandRecord = {
        context: {
          command_id,
          correlation_id: `correlation-${command_id}`,
          actor_id: actorId,
          actor_is_admin: false,
          issued_at: new Date().toISOString(),
          reply_to: 'gateway-1',
        },
        command,
      };
      await booted.bus.publish(Topics.messageCommands, [{ key: 'any', value: JSON.stringify(record) }]);
      return command_id;
    };
    const outcomeOf = async (commandId: string) => {
      const answer = await eventually(() =>
        booted.answers.find(({ outcome }) => 'command_id' in outcome && outcome.command_id === commandId),
      );
      expect(answer).toMatchObject({ topic: Topics.messageOutcomes, key: 'gateway-1' });
      return answer.outcome;
    };
    const send = (actorId: string, roomId: string, content: string, commandId?: string) =>
      publish(
        actorId,
        {
          type: 'SendMessage',
          data: { room_id: roomId, content, message_type: 'text', client_msg_id: commandId ?? null },
        },
        commandId,
      );

    it('decides commands and answers each on the outcomes topic', async () => {
      const create = await publish('ann', {
        type: 'CreateRoom',
        data: { room_id: 'bus-room', name: 'Bus room', private: false, members: ['ben'] },
      });
      expect(await outcomeOf(create)).toEqual({
        kind: 'accepted',
        command_id: create,
        correlation_id: `correlation-${create}`,
        reply_to: 'gateway-1',
        result: { kind: 'room', room_id: 'bus-room', last_seq: 0 },
      });
      const sent = await outcomeOf(await send('ben', 'bus-room', 'hello', 'ben-1'));
      expect(sent).toMatchObject({
        kind: 'accepted',
        result: {
          kind: 'message_sent',
          room_id: 'bus-room',
          seq: 1,
          client_msg_id: 'ben-1',
          duplicate: false,
        },
      });
    });

    it('answers a repeated command with the original message, appending nothing', async () => {
      const first = await outcomeOf(await send('ann', 'bus-room', 'once', 'ann-1'));
      booted.answers.length = 0;
      const again = await outcomeOf(await send('ann', 'bus-room', 'once', 'ann-1'));
      expect(first.kind === 'accepted' && again.kind === 'accepted').toBe(true);
      expect(again).toMatchObject({ result: { ...(first as { result: object }).result, duplicate: true } });
      const history = await as('ann').get('/api/rooms/bus-room/messages');
      expect(contents(history.body)).toEqual(['hello', 'once']);
    });

    it('publishes rejections as outcomes', async () => {
      const closed = await publish('ann', {
        type: 'CreateRoom',
        data: { room_id: 'bus-closed', name: 'Closed', private: true, members: [] },
      });
      expect(await outcomeOf(closed)).toMatchObject({ kind: 'accepted' });
      expect(await outcomeOf(await send('carl', 'bus-closed', 'let me in'))).toMatchObject({
        kind: 'rejected',
        code: 'room_not_found',
        reply_to: 'gateway-1',
      });
      expect(await outcomeOf(await send('ann', 'bus-room', ' \u0000 '))).toMatchObject({
        code: 'content_empty',
      });
      expect(await outcomeOf(await publish('ann', { type: 'Teleport', data: {} }))).toMatchObject({
        code: 'unknown_type',
      });
      expect(await outcomeOf(await publish('ann', { type: 'JoinRoom', data: { room: 'x' } }))).toMatchObject({
        code: 'invalid_frame',
      });
    });

    it('refuses a malformed record whose command id is readable, and survives one that has none', async () => {
      const malformed = { context: { command_id: 'broken-1', reply_to: 'gateway-1' }, command: 'nonsense' };
      await booted.bus.publish(Topics.messageCommands, [
        { key: 'any', value: 'not json at all' },
        { key: 'any', value: JSON.stringify(malformed) },
      ]);
      expect(await outcomeOf('broken-1')).toMatchObject({
        kind: 'rejected',
        code: 'invalid_frame',
        correlation_id: 'broken-1',
        reply_to: 'gateway-1',
      });
      expect(
        await outcomeOf(await publish('ann', { type: 'JoinRoom', data: { room_id: 'bus-room' } })),
      ).toMatchObject({
        kind: 'accepted',
      });
    });

    it('answers resume queries from the read model, to members only', async () => {
      await createRoom('ann', { name: 'Secret', private: true });
      const secret = (await as('ann').get('/api/rooms')).body.rooms.find(
        (room: { name: string }) => room.name === 'Secret',
      );
      const query = (userId: string, roomId: string, after_seq: number): ResumeQuery => ({
        query_id: crypto.randomUUID(),
        reply_to: 'gateway-1',
        room_id: roomId,
        user_id: userId,
        after_seq,
        limit: 500,
      });
      const ask = async (resume: ResumeQuery) => {
        await booted.bus.publish(Topics.messageQueries, [
          { key: resume.room_id, value: JSON.stringify(resume) },
        ]);
        const answer = await eventually(() =>
          booted.answers.find(({ outcome }) => 'query_id' in outcome && outcome.query_id === resume.query_id),
        );
        expect(answer).toMatchObject({ topic: Topics.messageEvents, key: resume.room_id });
        return answer.outcome;
      };

      const page = await ask(query('ben', 'bus-room', 1));
      expect(page).toMatchObject({ kind: 'resume_page', room_id: 'bus-room', last_seq: 2 });
      // Pages travel on the event topic as the read model holds them: sealed (the gateway opens them).
      const messages = page.kind === 'resume_page' ? page.messages : [];
      expect(messages.map((message) => [message.seq, isSealed(message.content)])).toEqual([[2, true]]);
      const opened = await Promise.all(
        messages.map((message) => booted.cipher.open(message.content, contentAad(message))),
      );
      expect(opened).toEqual([{ ok: true, text: 'once' }]);
      expect(await ask(query('dora', 'bus-room', 0))).toMatchObject({
        kind: 'resume_refused',
        code: 'not_member',
      });
      expect(await ask(query('carl', secret.room_id, 0))).toMatchObject({
        kind: 'resume_refused',
        code: 'room_not_found',
      });

      // A query its gateway no longer waits for is dropped unanswered; the one behind it is answered.
      const stale = { ...query('ben', 'bus-room', 0), expires_at: new Date(Date.now() - 1).toISOString() };
      const fresh = {
        ...query('ben', 'bus-room', 0),
        expires_at: new Date(Date.now() + 60_000).toISOString(),
      };
      await booted.bus.publish(Topics.messageQueries, [{ key: 'bus-room', value: JSON.stringify(stale) }]);
      expect(await ask(fresh)).toMatchObject({ kind: 'resume_page', room_id: 'bus-room' });
      expect(
        booted.answers.some(({ outcome }) => 'query_id' in outcome && outcome.query_id === stale.query_id),
      ).toBe(false);
    });
    it('opens content the gateway sealed, and refuses content sealed for another command', async () => {
      const sealedFor = (commandId: string, text: string) =>
        booted.cipher.seal(
          text,
          { scope: 'bus-room', user_id: 'ann', at: Date.now() },
          commandContentAad('bus-room', commandId),
        );
      const sealed = await outcomeOf(
        await send('ann', 'bus-room', await sealedFor('sealed-1', 'was sealed'), 'sealed-1'),
      );
      expect(sealed).toMatchObject({ kind: 'accepted', result: { kind: 'message_sent' } });
      const history = await as('ann').get('/api/rooms/bus-room/messages');
      expect(contents(history.body).at(-1)).toBe('was sealed');
      // Copied from another command: it does not authenticate here.
      const copied = await outcomeOf(
        await send('ann', 'bus-room', await sealedFor('sealed-2', 'copied'), 'sealed-3'),
      );
      expect(copied).toMatchObject({ kind: 'rejected', code: 'invalid_frame' });
    });
  });

  describe('over REST', () => {
    it('requires a token', async () => {
      expect(await as(null).get('/api/rooms')).toMatchObject({
        status: 401,
        body: { code: 'unauthenticated' },
      });
    });

    it('creates, lists, updates and deletes rooms; only the owner or an administrator changes them', async () => {
      const created = await as('olga').post('/api/rooms', { name: 'Design', members: ['pete', 'pete'] });
      expect(created).toMatchObject({
        status: 201,
        body: {
          name: 'Design',
          private: false,
          owner_id: 'olga',
          role: 'owner',
          member_count: 2,
          last_seq: 0,
        },
      });
      const roomId = created.body.room_id as string;
      expect(roomId).toMatch(/^room-[0-9a-z]{12}$/);

      const listed = await as('olga').get('/api/rooms');
      expect(listed.body.rooms).toContainEqual(created.body);
      expect(listed.body.rooms).toContainEqual(expect.objectContaining({ room_id: 'general', role: null }));

      expect(await as('pete').put(`/api/rooms/${roomId}`, { name: 'Mine' })).toMatchObject({
        status: 403,
        body: { code: 'forbidden' },
      });
      expect(await as('olga').put(`/api/rooms/${roomId}`, { name: 'Design team' })).toMatchObject({
        status: 200,
        body: { name: 'Design team', role: 'owner' },
      });
      expect((await as('root').put(`/api/rooms/${roomId}`, { private: true })).body).toMatchObject({
        private: true,
      });
      expect((await as('pete').get(`/api/rooms/${roomId}`)).body).toMatchObject({
        name: 'Design team',
        private: true,
      });

      expect((await as('pete').delete(`/api/rooms/${roomId}`)).status).toBe(403);
      expect((await as('olga').delete(`/api/rooms/${roomId}`)).status).toBe(204);
      expect((await as('olga').get(`/api/rooms/${roomId}`)).status).toBe(404);
      expect((await as('olga').get('/api/rooms')).body.rooms).not.toContainEqual(
        expect.objectContaining({ room_id: roomId }),
      );
    });

    it('manages membership: join, add, list, remove, leave', async () => {
      const publicRoom = await createRoom('mona', { name: 'Open' });
      expect(await as('ned').post(`/api/rooms/${publicRoom}/join`)).toMatchObject({
        status: 200,
        body: { role: 'member', member_count: 2 },
      });
      expect((await as('ned').post(`/api/rooms/${publicRoom}/join`)).body).toMatchObject({ member_count: 2 });

      const privateRoom = await createRoom('mona', { name: 'Closed', private: true });
      expect((await as('ned').post(`/api/rooms/${privateRoom}/join`)).status).toBe(404);
      expect((await as('ned').post(`/api/rooms/${privateRoom}/members`, { user_id: 'ned' })).status).toBe(
        404,
      );
      const added = await as('mona').post(`/api/rooms/${privateRoom}/members`, { user_id: 'ned' });
      expect(added).toMatchObject({ status: 201, body: { user_id: 'ned', role: 'member' } });
      expect((await as('ned').get(`/api/rooms/${privateRoom}/members`)).body.members).toEqual([
        expect.objectContaining({ user_id: 'mona', role: 'owner' }),
        expect.objectContaining({ user_id: 'ned', role: 'member' }),
      ]);
      expect((await as('ned').delete(`/api/rooms/${privateRoom}/members/mona`)).status).toBe(403);
      expect((await as('ned').delete(`/api/rooms/${privateRoom}/members/ned`)).status).toBe(204);
      expect((await as('ned').get(`/api/rooms/${privateRoom}`)).status).toBe(404);
      expect((await as('mona').delete(`/api/rooms/${publicRoom}/members/ned`)).status).toBe(204);
      expect((await as('mona').get(`/api/rooms/${publicRoom}/members`)).body.members).toHaveLength(1);
    });

    it('keeps history for members: 403 for outsiders of a public room, 404 of a private one', async () => {
      const publicRoom = await createRoom('hana', { name: 'Lobby' });
      const privateRoom = await createRoom('hana', { name: 'Back room', private: true });
      for (const roomId of [publicRoom, privateRoom]) {
        const posted = await as('hana').post(`/api/rooms/${roomId}/messages`, { content: 'members only' });
        expect(posted.status).toBe(201);
      }
      expect(await as('ivan').get(`/api/rooms/${publicRoom}/messages`)).toMatchObject({
        status: 403,
        body: { code: 'not_member' },
      });
      expect(await as('ivan').get(`/api/rooms/${privateRoom}/messages`)).toMatchObject({
        status: 404,
        body: { code: 'room_not_found' },
      });
      expect((await as('ivan').post(`/api/rooms/${privateRoom}/messages`, { content: 'hi' })).status).toBe(
        404,
      );
      expect((await as('ivan').get(`/api/rooms/${privateRoom}`)).status).toBe(404);
      expect((await as('ivan').get(`/api/rooms/${privateRoom}/members`)).status).toBe(404);
    });

    it('joins the sender of a first message to a public room', async () => {
      const roomId = await createRoom('jo', { name: 'Open door' });
      expect(
        (await as('kim').post(`/api/rooms/${roomId}/messages`, { content: 'hello' })).body,
      ).toMatchObject({
        seq: 1,
      });
      expect((await as('kim').get(`/api/rooms/${roomId}`)).body).toMatchObject({
        role: 'member',
        member_count: 2,
      });
      expect(contents((await as('kim').get(`/api/rooms/${roomId}/messages`)).body)).toEqual(['hello']);
    });

    it('posts messages idempotently and shows each write to the next read', async () => {
      const roomId = await createRoom('tess', { name: 'Posts' });
      const first = await as('tess').post(`/api/rooms/${roomId}/messages`, {
        content: 'one',
        client_msg_id: 'tess-1',
      });
      expect(first).toMatchObject({
        status: 201,
        body: { room_id: roomId, seq: 1, client_msg_id: 'tess-1', duplicate: false },
      });
      expect(first.body.message_id).toMatch(/^msg_/);
      const again = await as('tess').post(`/api/rooms/${roomId}/messages`, {
        content: 'one',
        client_msg_id: 'tess-1',
      });
      expect(again).toMatchObject({ status: 201, body: { ...first.body, duplicate: true } });
      await as('tess').post(`/api/rooms/${roomId}/messages`, { content: 'two' });

      const history = await as('tess').get(`/api/rooms/${roomId}/messages`);
      expect(history.body).toMatchObject({ room_id: roomId, has_more: false });
      expect(
        history.body.messages.map((message: { seq: number; content: string }) => [
          message.seq,
          message.content,
        ]),
      ).toEqual([
        [1, 'one'],
        [2, 'two'],
      ]);
      expect((await as('tess').post(`/api/rooms/${roomId}/messages`, { content: '   ' })).body.code).toBe(
        'content_empty',
      );
      const page = (query: string) => as('tess').get(`/api/rooms/${roomId}/messages?${query}`);
      expect((await page('after_seq=1')).body.messages).toHaveLength(1);
      expect((await page('before=2000-01-01T00:00:00Z')).body.messages).toEqual([]);
      expect(await page('before=yesterday')).toMatchObject({
        status: 400,
        body: { code: 'invalid_request' },
      });
    });

    it('answers a write only once the read model shows it, even a lagging one', async () => {
      booted.projectionLag.ms = 100;
      try {
        const created = await as('xena').post('/api/rooms', { name: 'Fresh' });
        expect(await booted.readModel.findRoom(created.body.room_id, 'xena')).toMatchObject({
          role: 'owner',
        });
        const posted = await as('xena').post(`/api/rooms/${created.body.room_id}/messages`, {
          content: 'now',
        });
        expect(await booted.readModel.latestSeq(created.body.room_id)).toBe(posted.body.seq);
      } finally {
        booted.projectionLag.ms = 0;
      }
    });

    it(`limits room creation to ${ROOMS_PER_DAY} a day per user`, async () => {
      for (let index = 0; index < ROOMS_PER_DAY; index++) await createRoom('uma', { name: `Room ${index}` });
      expect(await as('uma').post('/api/rooms', { name: 'One more' })).toMatchObject({
        status: 429,
        body: { code: 'rate_limited' },
      });
    });

    it(`limits posting to ${MESSAGES_PER_MINUTE} messages a minute per user`, async () => {
      const roomId = await createRoom('vera', { name: 'Chatty' });
      const statuses: number[] = [];
      for (let index = 0; index <= MESSAGES_PER_MINUTE; index++) {
        statuses.push(
          (await as('vera').post(`/api/rooms/${roomId}/messages`, { content: `m${index}` })).status,
        );
      }
      expect(statuses.filter((status) => status === 201)).toHaveLength(MESSAGES_PER_MINUTE);
      expect(statuses.at(-1)).toBe(429);
    });

    it('sheds a send at once while an earlier one is behind, and still answers that one', async () => {
      const roomId = await createRoom('wren', { name: 'Shedding' });
      const send = (content: string, clientMsgId: string) =>
        as('wren').post(`/api/rooms/${roomId}/messages`, { content, client_msg_id: clientMsgId });
      booted.appendDelay.ms = 1_600;
      try {
        const behind = send('first', 'shed-1');
        await sleep(1_200);
        const shed = await send('second', 'shed-2');
        expect(shed).toMatchObject({ status: 503, body: { code: 'overloaded' } });
        expect(shed.body.retry_after_ms).toBeGreaterThan(1_000);
        expect(shed.headers['retry-after']).toBe('2');
        expect(await behind).toMatchObject({ status: 201, body: { seq: 1 } });
      } finally {
        booted.appendDelay.ms = 0;
      }
      expect(await send('second', 'shed-2')).toMatchObject({ status: 201, body: { seq: 2 } });
      expect(contents((await as('wren').get(`/api/rooms/${roomId}/messages`)).body)).toEqual([
        'first',
        'second',
      ]);
    });

    it('opens a direct room once and publishes its access with kind direct', async () => {
      const opened = await as('xena').post('/api/dms', { user_id: 'yuri' });
      expect(opened).toMatchObject({ status: 201, body: { kind: 'direct', members: ['xena', 'yuri'] } });
      const roomId = opened.body.room_id as string;
      expect(await as('yuri').post('/api/dms', { user_id: 'xena' })).toMatchObject({
        status: 200,
        body: { room_id: roomId },
      });
      const published: RoomAccess[] = [];
      const reader = await booted.bus.consume({
        groupId: `access-${crypto.randomUUID()}`,
        topics: [Topics.roomAccess],
        handleBatch: async ({ records }) => {
          for (const record of records) if (record.key === roomId) published.push(JSON.parse(record.value));
        },
      });
      const access = await eventually(() => published.at(-1));
      await reader.stop();
      expect(access).toMatchObject({ kind: 'direct', private: true, owner_id: 'system' });
      expect(access.members.map((member) => member.user_id)).toEqual(['xena', 'yuri']);
    });
  });

  it('continues every room after a restart on the same files: no gap, no duplicate', async () => {
    const roomId = await createRoom('walt', { name: 'Durable' });
    for (const content of ['a', 'b', 'c']) {
      await as('walt').post(`/api/rooms/${roomId}/messages`, { content, client_msg_id: `walt-${content}` });
    }
    await booted.stop();
    booted = await boot(directory);

    const repeated = await as('walt').post(`/api/rooms/${roomId}/messages`, {
      content: 'c',
      client_msg_id: 'walt-c',
    });
    expect(repeated.body).toMatchObject({ seq: 3, duplicate: true });
    for (const content of ['d', 'e']) await as('walt').post(`/api/rooms/${roomId}/messages`, { content });
    const history = await as('walt').get(`/api/rooms/${roomId}/messages`);
    expect(
      history.body.messages.map((message: { seq: number; content: string }) => [
        message.seq,
        message.content,
      ]),
    ).toEqual([
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
      [4, 'd'],
      [5, 'e'],
    ]);
    expect((await as('walt').get(`/api/rooms/${roomId}`)).body).toMatchObject({ last_seq: 5 });
  });
});

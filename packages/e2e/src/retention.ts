import { eventually } from '@chat/testkit';
import { expect } from 'vitest';
import { join, messagesIn, type Harness } from './harness';

/**
 * The settings a retention scenario runs with: rooms may keep messages for as little as a
 * second (a hundred-thousandth of a day), and the sweeper looks every 0.3 s. The deployment's
 * own retention stays 90 days.
 */
export const RETENTION_ENV = {
  CHAT_MESSAGES__RETENTION_DAYS_MIN: '0.00001',
  CHAT_MESSAGES__RETENTION_SWEEP_INTERVAL_MINUTES: '0.005',
};

const SHORT_DAYS = 0.00001;
const EXPIRY_WAIT_MS = 20_000;

/**
 * A room's owner writes three messages (one a reaction's target) holding a rare word, then
 * shortens the room's retention to about a second: the sweeper expires them. History (REST) and
 * resume (WebSocket) answer their seqs as tombstones marked `expired`, gap-free; search no
 * longer finds the word. The owner sets the retention back to the deployment's; newer messages
 * are whole, and found.
 */
export const expectOldMessagesExpired = async (
  h: Harness,
  /** Checks what the platform under test can show of the expiry, while the room's retention is short. */
  whileExpiring: (roomId: string) => Promise<void> = async () => {},
) => {
  const word = `heliotrope${Date.now().toString(36)}`;
  const created = await h.api('rhea', 'POST', '/api/rooms', { name: 'retention', members: ['sol'] });
  expect(created.status).toBe(201);
  const roomId = created.body.room_id as string;
  const post = async (user: string, content: string) => {
    const posted = await h.api(user, 'POST', `/api/rooms/${roomId}/messages`, { content });
    expect(posted.status).toBe(201);
    return posted.body as { message_id: string; seq: number };
  };
  const first = await post('rhea', `${word} one`);
  await post('sol', `${word} two`);
  // A file uploaded before the last expired message expires with the messages around it.
  const bytes = Buffer.from(`${word} notes\n`);
  const ticket = await h.api('rhea', 'POST', '/api/media/uploads', {
    room_id: roomId,
    file_name: 'notes.txt',
    content_type: 'text/plain',
    size: bytes.length,
  });
  expect(ticket.status).toBe(201);
  expect((await fetch(h.resolve(ticket.body.upload_url), { method: 'PUT', body: bytes })).ok).toBe(true);
  expect((await h.api('rhea', 'POST', `/api/media/${ticket.body.file_id}/complete`)).status).toBe(200);
  expect((await h.api('sol', 'GET', `/api/media/${ticket.body.file_id}`)).status).toBe(200);
  await post('rhea', `${word} three`);
  const reacted = await h.api(
    'sol',
    'PUT',
    `/api/rooms/${roomId}/messages/${first.message_id}/reactions/${encodeURIComponent('👍')}`,
  );
  expect(reacted.status).toBeLessThan(300);
  await eventually(async () => {
    const found = await h.api('sol', 'GET', `/api/search/messages?q=${word}`);
    expect(found.body.hits).toHaveLength(3);
  }, 10_000);

  const before = await h.api('sol', 'GET', `/api/rooms/${roomId}/messages?limit=50`);
  expect(before.body.messages[0].reactions).toEqual([{ emoji: '👍', count: 1, me: true }]);

  const watching = await h.connect('rhea');
  await join(watching, roomId);

  // Bounds first: the deployment's own limits refuse a retention outside them.
  const outside = await h.api('rhea', 'PUT', `/api/rooms/${roomId}`, { retention_days: 0.000001 });
  expect(outside.status).toBe(400);
  const shortened = await h.api('rhea', 'PUT', `/api/rooms/${roomId}`, { retention_days: SHORT_DAYS });
  expect(shortened.body).toMatchObject({ retention_days: SHORT_DAYS });

  const history = async () =>
    (await h.api('sol', 'GET', `/api/rooms/${roomId}/messages?limit=50`)).body.messages as {
      seq: number;
      content: string;
      expired?: boolean;
      reactions?: unknown[];
    }[];
  await eventually(async () => {
    expect((await history()).every((message) => message.expired === true)).toBe(true);
  }, EXPIRY_WAIT_MS);
  // Connected members are told, so they drop what they hold.
  await eventually(() => {
    const told = watching.frames.filter((frame) => frame.type === 'history_expired');
    expect(told.at(-1)).toEqual({ type: 'history_expired', room_id: roomId, through_seq: 3 });
  }, 10_000);
  watching.close();
  await whileExpiring(roomId);
  const restored = await h.api('rhea', 'PUT', `/api/rooms/${roomId}`, { retention_days: null });
  expect(restored.status).toBe(200);
  expect(restored.body).not.toHaveProperty('retention_days');

  await post('sol', `${word} four, kept`);
  const tombstone = (seq: number) => ({ seq, content: '', expired: true });
  const expected = [tombstone(1), tombstone(2), tombstone(3), { seq: 4, content: `${word} four, kept` }];
  const page = await history();
  expect(page).toMatchObject(expected);
  expect(page[3]).not.toHaveProperty('expired');
  expect(
    page.slice(0, 3).every((message) => message.reactions === undefined || message.reactions.length === 0),
  ).toBe(true);

  const socket = await h.connect('sol');
  try {
    await join(socket, roomId, 0);
    const resumed = await eventually(() => {
      const frames = messagesIn(socket, roomId);
      expect(frames).toHaveLength(4);
      return frames;
    }, 10_000);
    expect(resumed).toMatchObject(expected);
  } finally {
    socket.close();
  }

  await eventually(async () => {
    const found = await h.api('sol', 'GET', `/api/search/messages?q=${word}`);
    expect(found.body.hits.map((hit: { content: string }) => hit.content)).toEqual([`${word} four, kept`]);
  }, 10_000);
  await eventually(async () =>
    expect(await h.api('sol', 'GET', `/api/media/${ticket.body.file_id}`)).toMatchObject({
      status: 404,
      body: { code: 'file_not_found' },
    }),
  );
  // Expiry is real: every store read as raw bytes holds none of the expired messages in clear.
  await eventually(async () => {
    for (const expired of [`${word} one`, `${word} two`, `${word} three`]) {
      expect(await h.findInStores(expired)).toEqual([]);
    }
  }, 10_000);

  // The owner's audit log shows who changed the retention and that the system applied it.
  await eventually(async () => {
    const audit = await h.api('rhea', 'GET', `/api/audit?room_id=${roomId}&action=room.history_expired`);
    // Newest first; the messages may have expired in more than one step.
    expect(audit.body.records[0]).toMatchObject({
      actor: 'system',
      reason: expect.stringContaining('messages up to seq 3,'),
    });
  }, 10_000);
};

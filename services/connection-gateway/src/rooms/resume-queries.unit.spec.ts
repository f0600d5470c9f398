import type { Bus, OutgoingRecord } from '@chat/bus';
import type { ResumeQuery } from '@chat/contracts';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { newConnection } from '../sessions/connection';
import { PAGE_ANSWER_TIMEOUT_MS, ResumeQueries, type OpenQuery } from './resume-queries';

const published: ResumeQuery[] = [];
const bus = {
  publish: async (_topic: string, records: OutgoingRecord[]) => {
    for (const record of records) published.push(JSON.parse(String(record.value)) as ResumeQuery);
  },
} as unknown as Bus;

const connection = () => ({
  ...newConnection('c1', '127.0.0.1'),
  principal: { userId: 'ann', isAdmin: false },
});
const page = (query: ResumeQuery) => ({
  kind: 'resume_page' as const,
  query_id: query.query_id,
  reply_to: query.reply_to,
  room_id: query.room_id,
  messages: [],
});

describe('resume queries', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    published.length = 0;
  });
  afterEach(() => vi.useRealTimers());

  it('reports a query no page answered in time, once', async () => {
    const silent: OpenQuery[] = [];
    const queries = new ResumeQueries(bus, 'g1', (query) => silent.push(query));
    const deadline = Date.now() + 15_000;
    await queries.ask(connection() as never, 'room-1', 4, deadline);
    // The message service drops it unread past the moment this gateway stops waiting.
    expect(Date.parse(published[0]!.expires_at!)).toBe(Date.now() + PAGE_ANSWER_TIMEOUT_MS);
    vi.advanceTimersByTime(PAGE_ANSWER_TIMEOUT_MS - 1);
    expect(silent).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(silent).toEqual([expect.objectContaining({ roomId: 'room-1', afterSeq: 4, deadline })]);
    // Its page, should it still come, answers nothing: the query was asked again under a new id.
    expect(queries.take(page(published[0]!) as never)).toBeUndefined();
  });

  it('reports nothing for a query answered in time, or of a connection forgotten', async () => {
    const silent: OpenQuery[] = [];
    const queries = new ResumeQueries(bus, 'g1', (query) => silent.push(query));
    const ann = connection();
    await queries.ask(ann as never, 'room-1', 0, Date.now() + 15_000);
    await queries.ask(ann as never, 'room-2', 0, Date.now() + 15_000);
    expect(queries.take(page(published[0]!) as never)).toMatchObject({ roomId: 'room-1' });
    queries.forget(ann as never);
    vi.advanceTimersByTime(PAGE_ANSWER_TIMEOUT_MS * 2);
    expect(silent).toEqual([]);
  });

  it('waits no longer than the resume’s deadline', async () => {
    const silent: OpenQuery[] = [];
    const queries = new ResumeQueries(bus, 'g1', (query) => silent.push(query));
    await queries.ask(connection() as never, 'room-1', 0, Date.now() + 1_000);
    vi.advanceTimersByTime(1_000);
    expect(silent).toHaveLength(1);
  });
});

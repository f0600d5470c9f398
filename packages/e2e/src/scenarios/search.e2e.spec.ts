import { eventually } from '@chat/testkit';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ApiResponse, Harness } from '../harness';
import { scenario, startHarness } from '../target';

interface Hit {
  message_id: string;
  room_id: string;
  seq: number;
  sender_id: string;
  content: string;
  created_at: string;
  edited_at: string | null;
  highlight: string;
}

/** What the specification asks of search: edits and deletions show within a second. */
const WITHIN_A_SECOND = 1_000;

scenario('searching messages', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.stop());

  const unique = () => `w${crypto.randomUUID().slice(0, 8)}`;
  const roomWith = async (owner: string, members: string[], isPrivate = false) => {
    const created = await h.api(owner, 'POST', '/api/rooms', { name: 'search', private: isPrivate, members });
    expect(created.status).toBe(201);
    return created.body.room_id as string;
  };
  const post = async (user: string, roomId: string, content: string) => {
    const posted = await h.api(user, 'POST', `/api/rooms/${roomId}/messages`, { content });
    expect(posted.status).toBe(201);
    return posted.body as { message_id: string; seq: number };
  };
  const search = (user: string | null, params: Record<string, string>) =>
    h.api(user, 'GET', `/api/search/messages?${new URLSearchParams(params)}`);
  const hitsOf = (response: ApiResponse) => {
    expect(response.status).toBe(200);
    return response.body.hits as Hit[];
  };
  const contents = async (user: string, params: Record<string, string>) =>
    hitsOf(await search(user, params)).map((hit) => hit.content);

  it('finds a member’s messages newest first, with highlights, page by page', async () => {
    const word = unique();
    const roomId = await roomWith('nora', ['omar']);
    await post('nora', roomId, `${word} first`);
    await post('omar', roomId, `the <b>second</b> ${word.toUpperCase()}`);
    await post('nora', roomId, `third ${word}, and ${word} again`);
    await post('nora', roomId, 'no match here');

    await eventually(async () => expect(await contents('omar', { q: word })).toHaveLength(3));
    const [third, second, first] = hitsOf(await search('omar', { q: word }));
    expect(first).toMatchObject({ room_id: roomId, seq: 1, sender_id: 'nora', content: `${word} first` });
    expect(first!.highlight).toBe(`<mark>${word}</mark> first`);
    expect(second!.highlight).toBe(`the &lt;b&gt;second&lt;/b&gt; <mark>${word.toUpperCase()}</mark>`);
    expect(third!.highlight).toBe(`third <mark>${word}</mark>, and <mark>${word}</mark> again`);
    expect(third).toMatchObject({ seq: 3, edited_at: null });

    const page = await search('omar', { q: word, limit: '2' });
    expect(hitsOf(page).map((hit) => hit.seq)).toEqual([3, 2]);
    const next = await search('omar', { q: word, limit: '2', cursor: page.body.next_cursor });
    expect(hitsOf(next).map((hit) => hit.seq)).toEqual([1]);
    expect(next.body.next_cursor).toBeNull();

    expect(await contents('omar', { q: word, from_user: 'omar' })).toEqual([
      `the <b>second</b> ${word.toUpperCase()}`,
    ]);
    expect(await contents('omar', { q: `${word} first` })).toEqual([`${word} first`]);
  });

  it('ranks the best match first when asked for relevance', async () => {
    const word = unique();
    const roomId = await roomWith('pia', []);
    await post('pia', roomId, `${word} ${word} ${word}`);
    await post('pia', roomId, `once ${word} among a good many other words in a long message`);
    await post('pia', roomId, `${word} and ${word}`);
    await eventually(async () => expect(await contents('pia', { q: word })).toHaveLength(3));
    expect(await contents('pia', { q: word, sort: 'relevance' })).toEqual([
      `${word} ${word} ${word}`,
      `${word} and ${word}`,
      `once ${word} among a good many other words in a long message`,
    ]);
  });

  it('never shows a private room’s messages to a non-member: no hit, no highlight, no count', async () => {
    const word = unique();
    const secret = await roomWith('quinn', ['rosa'], true);
    const open = await roomWith('quinn', []);
    await post('quinn', secret, `${word} launch plan`);
    await post('quinn', open, `${word} in the open`);
    await eventually(async () =>
      expect(await contents('rosa', { q: word })).toEqual([`${word} launch plan`]),
    );
    await eventually(async () => expect(await contents('quinn', { q: word })).toHaveLength(2));

    const outsider = await search('mallory', { q: word });
    expect(outsider.body).toEqual({ hits: [], next_cursor: null });
    expect(JSON.stringify(outsider.body)).not.toContain(word);
    expect(await search('mallory', { q: word, room_id: secret })).toMatchObject({
      status: 404,
      body: { code: 'room_not_found' },
    });
    expect(await search('mallory', { q: word, room_id: open })).toMatchObject({
      status: 403,
      body: { code: 'not_member' },
    });
    expect(await search('mallory', { q: word, room_id: 'no-such-room' })).toMatchObject({ status: 404 });

    expect((await h.api('quinn', 'DELETE', `/api/rooms/${secret}/members/rosa`)).status).toBe(204);
    await eventually(async () => expect(await contents('rosa', { q: word })).toEqual([]));
  });

  it('shows edits and deletions within a second', async () => {
    const [before, after] = [unique(), unique()];
    const roomId = await roomWith('sam', []);
    const { message_id } = await post('sam', roomId, `${before} typo`);
    await eventually(async () => expect(await contents('sam', { q: before })).toHaveLength(1));

    expect(
      (
        await h.api('sam', 'PATCH', `/api/rooms/${roomId}/messages/${message_id}`, {
          content: `${after} fixed`,
        })
      ).status,
    ).toBe(200);
    await eventually(async () => {
      expect(await contents('sam', { q: before })).toEqual([]);
      const [hit] = hitsOf(await search('sam', { q: after }));
      expect(hit).toMatchObject({ message_id, content: `${after} fixed`, edited_at: expect.any(String) });
    }, WITHIN_A_SECOND);

    expect((await h.api('sam', 'DELETE', `/api/rooms/${roomId}/messages/${message_id}`)).status).toBe(204);
    await eventually(async () => expect(await contents('sam', { q: after })).toEqual([]), WITHIN_A_SECOND);
  });

  it('refuses what is not a search with a stable code', async () => {
    expect((await search(null, { q: 'x' })).status).toBe(401);
    expect(await search('sam', { q: '?!' })).toMatchObject({
      status: 400,
      body: { code: 'invalid_request' },
    });
    expect(await search('sam', { q: 'x', cursor: 'forged' })).toMatchObject({
      status: 400,
      body: { code: 'invalid_request' },
    });
    expect(await search('sam', { q: 'x', limit: '0' })).toMatchObject({ status: 400 });
  });
});

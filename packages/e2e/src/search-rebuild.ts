import { eventually } from '@chat/testkit';
import { expect } from 'vitest';
import type { Harness } from './harness';

/**
 * Messages sent, edited and deleted in an open and a private room, searched by three users; then
 * `rebuild` rebuilds the index from scratch (however the platform under test runs it), and every
 * answer is the same as before, and the index goes on with new messages.
 */
export const expectSameResultsAfterRebuild = async (h: Harness, rebuild: () => Promise<void>) => {
  const post = async (user: string, roomId: string, content: string) =>
    (await h.api(user, 'POST', `/api/rooms/${roomId}/messages`, { content })).body as {
      message_id: string;
    };
  const room = async (owner: string, members: string[], isPrivate: boolean) =>
    (await h.api(owner, 'POST', '/api/rooms', { name: 'rebuild', private: isPrivate, members })).body
      .room_id as string;
  const open = await room('tara', ['uma'], false);
  const secret = await room('uma', ['vic'], true);
  await post('tara', open, 'orchid one');
  const typo = await post('uma', open, 'orchd two');
  const gone = await post('tara', open, 'orchid three, to be deleted');
  await post('uma', secret, 'orchid four orchid, secret');
  await post('vic', secret, 'orchid five');
  await h.api('uma', 'PATCH', `/api/rooms/${open}/messages/${typo.message_id}`, { content: 'orchid two' });
  await h.api('tara', 'DELETE', `/api/rooms/${open}/messages/${gone.message_id}`);
  await h.api('uma', 'DELETE', `/api/rooms/${secret}/members/vic`);

  const searches: Record<string, string>[] = [
    { q: 'orchid' },
    { q: 'orchid', sort: 'relevance' },
    { q: 'orchid', room_id: secret },
    { q: 'orchid two' },
  ];
  const results = async () => {
    const answers: unknown[] = [];
    for (const user of ['tara', 'uma', 'vic']) {
      for (const params of searches) {
        const response = await h.api(user, 'GET', `/api/search/messages?${new URLSearchParams(params)}`);
        answers.push({ user, params, status: response.status, body: response.body });
      }
    }
    return answers;
  };
  // The snapshot to compare with must show every change above, the last of each room included;
  // the searches of one snapshot run one after the other, so each user's is checked.
  const live = await eventually(async () => {
    const answers = await results();
    const contentsFor = (user: string) => {
      const answer = answers.find((each) => (each as { user: string }).user === user) as {
        body: { hits: { content: string }[] };
      };
      return answer.body.hits.map((hit) => hit.content).sort();
    };
    // The typo is edited, the third message deleted, and vic left the private room.
    expect(contentsFor('tara')).toEqual(['orchid one', 'orchid two']);
    expect(contentsFor('uma')).toEqual([
      'orchid five',
      'orchid four orchid, secret',
      'orchid one',
      'orchid two',
    ]);
    expect(contentsFor('vic')).toEqual([]);
    return answers;
  });

  await rebuild();

  expect(await results()).toEqual(live);
  await post('tara', open, 'orchid after the rebuild');
  await eventually(async () => {
    const found = await h.api('tara', 'GET', '/api/search/messages?q=after+rebuild');
    expect(found.body.hits).toHaveLength(1);
  });
};

import { expect } from 'vitest';
import { runCurlExamples, runQuickStart } from './readme';

/**
 * The README's Quick Start and every curl example, run unchanged against a platform on
 * `localhost:<port>` (the README's `localhost:8000`): each WebSocket frame as shown, each request
 * answered 2xx. `env` is what the token command runs with.
 */
export const expectReadmeExamplesToRun = async (port: number, env: Record<string, string> = {}) => {
  const address = `localhost:${port}`;
  const { token, received } = await runQuickStart(address, env);
  const ack = received.find((frame) => frame.type === 'ack') as { message_id: string };
  const postToGeneral = async () => {
    const response = await fetch(`http://${address}/api/rooms/general/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ content: 'Hello again!' }),
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { message_id: string }).message_id;
  };
  const runs = await runCurlExamples(address, token, (block) =>
    block === 0 ? Promise.resolve(ack.message_id) : postToGeneral(),
  );
  expect(runs.length).toBeGreaterThanOrEqual(10);
  for (const { command, status, body } of runs) {
    expect({ command, status, body }).toEqual({
      command,
      status: expect.toSatisfy((s: number) => s >= 200 && s < 300),
      body,
    });
  }
  return { token };
};

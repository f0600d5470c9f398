import { contentAad } from '../src/message-content';
import { cipherInMemory } from '../src/testing';

/**
 * CPU time of sealing and opening one message's content (100 characters) with its key cached, as
 * on the hot path: `pnpm exec tsx packages/privacy/scripts/seal-cost.ts` (BENCHMARKS.md).
 */
const MESSAGES = 50_000;
const ROUNDS = 3;
const text = 'x'.repeat(100);
const cipher = await cipherInMemory();
const context = () => ({ scope: 'r1', user_id: 'ann', at: Date.now() });
const aadOf = (i: number) => contentAad({ room_id: 'r1', message_id: `m${i}` });

/** Microseconds of CPU (user and system) per call of `step`, over MESSAGES calls. */
const cpuPerCall = async (step: (i: number) => Promise<unknown>): Promise<number> => {
  const start = process.cpuUsage();
  for (let i = 0; i < MESSAGES; i++) await step(i);
  const { user, system } = process.cpuUsage(start);
  return (user + system) / MESSAGES;
};

await cipher.seal(text, context(), 'warm-up: creates and caches the key');
for (let round = 1; round <= ROUNDS; round++) {
  const sealed: string[] = [];
  const seal = await cpuPerCall(async (i) => sealed.push(await cipher.seal(text, context(), aadOf(i))));
  const open = await cpuPerCall((i) => cipher.open(sealed[i]!, aadOf(i)));
  process.stdout.write(
    `${JSON.stringify({ round, seal_us: +seal.toFixed(2), open_us: +open.toFixed(2), sealed_chars: sealed[0]!.length })}\n`,
  );
}

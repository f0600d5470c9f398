import type { Bus } from '@chat/bus';
import { Topics, type CommandContext, type Outcome } from '@chat/contracts';
import type { Handled } from './command-handler';

export type CommandOutcome = Extract<Outcome, { kind: 'accepted' | 'rejected' }>;

type Ids = Pick<CommandContext, 'command_id' | 'correlation_id' | 'reply_to'>;

export const commandOutcome = (
  { command_id, correlation_id, reply_to }: Ids,
  handled: Handled,
): CommandOutcome =>
  handled.ok
    ? { kind: 'accepted', command_id, correlation_id, reply_to, result: handled.result }
    : { kind: 'rejected', command_id, correlation_id, reply_to, ...handled.error };

/**
 * Publishes commands' outcomes, each keyed by the gateway instance awaiting it, so each instance
 * reads its answers from one partition. A command nobody awaits is keyed by its own id.
 */
export const publishCommandOutcomes = (bus: Bus, outcomes: CommandOutcome[]): Promise<void> =>
  bus.publish(
    Topics.messageOutcomes,
    outcomes.map((outcome) => ({
      key: outcome.reply_to ?? outcome.command_id,
      value: JSON.stringify(outcome),
      headers: { correlation_id: outcome.correlation_id },
    })),
  );

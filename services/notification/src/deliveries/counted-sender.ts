import { counter, histogram, type Registry } from '@chat/runtime';
import type { DeliverySender } from './sender';

/**
 * The sender, with every push attempt counted by channel and outcome (`delivered`, `gone`: the
 * push service forgot the subscription, `failed`: to be retried or abandoned) and timed.
 */
export const countedSender = (sender: DeliverySender, registry: Registry): DeliverySender => {
  const attempts = counter(
    registry,
    'chat_push_attempts_total',
    'Push and webhook delivery attempts, by channel and outcome (delivered, gone, failed).',
    ['channel', 'outcome'],
  );
  const seconds = histogram(
    registry,
    'chat_push_attempt_seconds',
    'Time of one delivery attempt, by channel.',
    ['channel'],
  );
  return {
    async send(target, payload, deliveryId) {
      const endTimer = seconds.startTimer({ channel: target.channel });
      const result = await sender.send(target, payload, deliveryId).finally(endTimer);
      const outcome = result.ok ? 'delivered' : result.gone ? 'gone' : 'failed';
      attempts.inc({ channel: target.channel, outcome });
      return result;
    },
  };
};

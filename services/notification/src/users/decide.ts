import { reject, type Rejection, type Result } from '@chat/contracts';
import { accept, refuse, type Decider } from '@chat/event-sourcing';
import { MAX_SUBSCRIPTIONS_PER_USER, type UserCommand } from './commands';
import { evolveUser, initialUserState, type UserEvent, type UserState } from './user';

type Decision = Result<UserEvent[], Rejection>;

/**
 * A user's notification settings. Every command is idempotent on the state: subscribing an
 * endpoint already subscribed (its id is derived from the endpoint), muting a muted room or
 * marking read what was already read decides nothing.
 */
const decideUser = (command: UserCommand, state: UserState): Decision => {
  const { actor_id: user_id, decided_at } = command.context;
  switch (command.type) {
    case 'Subscribe': {
      const { subscription_id, endpoint, keys } = command.data;
      if (state.subscriptions[subscription_id]) return accept();
      if (Object.keys(state.subscriptions).length >= MAX_SUBSCRIPTIONS_PER_USER) {
        return refuse(
          reject('invalid_request', `At most ${MAX_SUBSCRIPTIONS_PER_USER} push subscriptions per user.`),
        );
      }
      return accept({
        type: 'PushSubscribed',
        data: { user_id, subscription_id, endpoint, keys, subscribed_at: decided_at },
      });
    }
    case 'Unsubscribe': {
      const { subscription_id, reason } = command.data;
      if (!state.subscriptions[subscription_id]) {
        // The push service may report a subscription gone more than once: nothing to do.
        if (reason === 'gone') return accept();
        return refuse(reject('subscription_not_found', 'No such push subscription.'));
      }
      return accept({
        type: 'PushUnsubscribed',
        data: { user_id, subscription_id, reason, unsubscribed_at: decided_at },
      });
    }
    case 'RegisterWebhook':
      return accept({
        type: 'WebhookRegistered',
        data: { user_id, url: command.data.url, secret: command.data.secret, registered_at: decided_at },
      });
    case 'RemoveWebhook':
      return state.webhook
        ? accept({ type: 'WebhookRemoved', data: { user_id, removed_at: decided_at } })
        : accept();
    case 'MuteRoom':
      return state.muted.has(command.data.room_id)
        ? accept()
        : accept({
            type: 'RoomMuted',
            data: { user_id, room_id: command.data.room_id, muted_at: decided_at },
          });
    case 'UnmuteRoom':
      return state.muted.has(command.data.room_id)
        ? accept({
            type: 'RoomUnmuted',
            data: { user_id, room_id: command.data.room_id, unmuted_at: decided_at },
          })
        : accept();
    case 'MarkRead': {
      const { room_id, seq } = command.data;
      if (command.context.room_refusal) return refuse(command.context.room_refusal);
      if (seq > command.context.last_seq) {
        return refuse(
          reject('seq_out_of_range', `The room's newest message is ${command.context.last_seq}, not ${seq}.`),
        );
      }
      if (seq <= (state.readSeq[room_id] ?? 0)) return accept();
      return accept({
        type: 'ReadMarked',
        data: { user_id, room_id, seq, marked_at: decided_at, receipt: state.readReceipts },
      });
    }
    case 'SetReadReceipts':
      return command.data.read_receipts === state.readReceipts
        ? accept()
        : accept({
            type: 'ReadReceiptsSet',
            data: { user_id, read_receipts: command.data.read_receipts, set_at: decided_at },
          });
  }
};

export const userDecider: Decider<UserCommand, UserEvent, UserState> = {
  initialState: initialUserState,
  decide: decideUser,
  evolve: evolveUser,
};

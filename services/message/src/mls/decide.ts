import { reject, type MlsCommitFacts, type Rejection, type Result } from '@chat/contracts';
import { accept, refuse } from '@chat/event-sourcing';
import { newMessageHeader, originalSend } from '../messages/decide';
import { refuseTarget } from '../moderation/decide';
import type { DecisionContext, RoomCommandOf, RoomEvent } from '../room-command';
import { refuseMuted, refuseNonManager, refuseNonMember, roomNotFound } from '../rooms/access';
import { memberJoined, memberLeft } from '../rooms/decide';
import type { RoomState } from '../rooms/room';
import { readMlsFraming } from './framing';

type Decision = Result<RoomEvent[], Rejection>;
type SendMessage = RoomCommandOf<'SendMessage'>;

const invalid = (message: string) => refuse(reject('invalid_request', message));

/**
 * A message of an end-to-end encrypted room: an MLSMessage the server carries but cannot read. The
 * room's seq is the group's total order of handshakes (RFC 9420 §14): a message is accepted only
 * in the group's current epoch, read from its public framing, so of two commits made in the same
 * epoch the first in seq wins and the other is refused `stale_epoch` — the group never forks.
 * A commit moves the epoch on; the membership it declares follows in the same append, after it,
 * so the users it adds receive what comes after the commit and those it removes received the
 * commit itself. Plain content is refused in such a room, MLS bytes in a plain one.
 */
export const decideMlsSend = (command: SendMessage, state: RoomState): Decision => {
  const { data, context } = command;
  if (state.status !== 'active') return refuse(roomNotFound());
  if (originalSend(command, state)) return accept();
  const outsider = refuseNonMember(state, context) ?? refuseMuted(state, context);
  if (outsider) return refuse(outsider);
  if (state.encryption !== 'mls') {
    return refuse(reject('encryption_required', 'This room is not end-to-end encrypted: send `content`.'));
  }
  if (data.message_type !== 'mls' || data.mls === undefined) {
    return refuse(reject('encryption_required', 'This room is end-to-end encrypted: send an MLS message.'));
  }
  if (data.thread_id !== undefined || data.file !== undefined) {
    return invalid('An encrypted message carries its thread and files inside it.');
  }
  const framing = readMlsFraming(data.mls, data.room_id);
  if (!framing.ok) return framing;
  const { epoch, content_type } = framing.value;
  if (epoch !== state.mls.epoch) {
    return refuse(
      reject('stale_epoch', `The group is at epoch ${state.mls.epoch}, the message at ${epoch}: re-sync.`),
    );
  }
  if (data.mls_commit && content_type !== 'commit') return invalid('Only a commit changes the membership.');
  const membership = data.mls_commit ? membershipChange(data.mls_commit, state, context) : NO_CHANGE;
  if (!membership.ok) return membership;
  const header = newMessageHeader(command, state);
  const sent: RoomEvent = {
    type: 'MessageSent',
    data: {
      ...header,
      content: '',
      message_type: 'mls',
      mls: { message: data.mls, epoch, content_type },
    },
  };
  const { joining, leaving } = membership.value;
  const welcome: RoomEvent[] =
    data.mls_commit?.welcome && data.mls_commit.added.length > 0
      ? [
          {
            type: 'MlsWelcomeSent',
            data: {
              room_id: data.room_id,
              seq: header.seq,
              recipients: data.mls_commit.added,
              welcome: data.mls_commit.welcome,
              sent_at: context.decided_at,
            },
          },
        ]
      : [];
  return accept(
    sent,
    ...joining.map((userId) => memberJoined(data.room_id, userId, 'member', context)),
    ...leaving.map((userId) => memberLeft(data.room_id, userId, context)),
    ...welcome,
  );
};

interface MembershipChange {
  joining: string[];
  leaving: string[];
}
const NO_CHANGE: Result<MembershipChange, Rejection> = { ok: true, value: { joining: [], leaving: [] } };

/**
 * The room's membership after a commit, by the room's own rules: adding a non-member takes the
 * manager's right; removing someone else takes a moderator's, leaving is anyone's. A direct room's
 * pair is fixed: its first commit adds the other member, who is in already.
 */
const membershipChange = (
  commit: MlsCommitFacts,
  state: RoomState,
  context: DecisionContext,
): Result<MembershipChange, Rejection> => {
  const fail = (error: Rejection): Result<MembershipChange, Rejection> => ({ ok: false, error });
  const added = [...new Set(commit.added)];
  const removed = [...new Set(commit.removed)];
  if (added.length > 0 && commit.welcome === undefined) {
    return fail(reject('invalid_request', 'A commit that adds members carries their Welcome.'));
  }
  if (added.some((userId) => removed.includes(userId))) {
    return fail(reject('invalid_request', 'A commit does not add and remove the same user.'));
  }
  const joining = added.filter((userId) => !state.members.has(userId));
  if (state.kind === 'direct' && joining.length + removed.length > 0) {
    return fail(reject('forbidden', 'A direct room keeps its two members.'));
  }
  if (joining.length > 0) {
    const notManager = refuseNonManager(state, context);
    if (notManager) return fail(notManager);
  }
  for (const userId of removed) {
    if (!state.members.has(userId))
      return fail(reject('not_member', `${userId} is not a member of this room.`));
    if (userId === context.actor_id) continue;
    const refusal = refuseTarget(state, context, userId, 'remove');
    if (refusal) return fail(refusal);
  }
  return { ok: true, value: { joining, leaving: removed } };
};

/**
 * Edits and deletions are the group's own business in an encrypted room: the server cannot edit
 * ciphertext, and a deleted handshake would leave every later reader of the history unable to
 * follow the group's epochs.
 */
export const refuseInEncryptedRoom = (state: RoomState): Decision | null =>
  state.encryption === 'mls'
    ? refuse(reject('forbidden', 'Messages of an end-to-end encrypted room are not edited or deleted.'))
    : null;

/** A recipient of a kept Welcome acknowledges it: it is no longer offered to them. */
export const decideAcknowledgeWelcome = (
  { data, context }: RoomCommandOf<'AcknowledgeMlsWelcome'>,
  state: RoomState,
): Decision => {
  if (!state.mls.welcomes.get(data.seq)?.includes(context.actor_id)) {
    return refuse(reject('welcome_not_found', `No Welcome of seq ${data.seq} is kept for you in this room.`));
  }
  return accept({
    type: 'MlsWelcomeAcknowledged',
    data: {
      room_id: data.room_id,
      seq: data.seq,
      user_id: context.actor_id,
      acknowledged_at: context.decided_at,
    },
  });
};

import { reject, type Rejection } from '@chat/contracts';
import type { RoomCommand } from '../room-command';
import { refuseUnseen } from '../rooms/access';
import type { RoomState } from '../rooms/room';

/** What a direct room refuses to everyone who may see it, and why. Its members are fixed for good. */
const FIXED: Partial<Record<RoomCommand['type'], string>> = {
  UpdateRoom: 'A direct room cannot be renamed or made public.',
  DeleteRoom: 'A direct room cannot be deleted.',
  AddMember: 'A direct room has exactly its members: no one can be added.',
  RemoveMember: 'A direct room has exactly its members: no one can be removed.',
  LeaveRoom: 'A direct room cannot be left.',
  ChangeMemberRole: 'A direct room has no moderators.',
  BanMember: 'No one can be banned from a direct room.',
  MuteMember: 'No one can be muted in a direct room.',
};

/**
 * Refuses what would change a direct room's name, privacy, existence or members. Outsiders are told
 * the room does not exist, as for any private room; its members (and administrators) `forbidden`.
 */
export const refuseDirectChange = (command: RoomCommand, state: RoomState): Rejection | null => {
  const why = FIXED[command.type];
  if (state.kind !== 'direct' || !why) return null;
  return refuseUnseen(state, command.context) ?? reject('forbidden', why);
};

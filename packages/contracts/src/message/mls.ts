import { Type, type Static } from '@sinclair/typebox';
import { RoomId, UserId } from '../primitives';

/**
 * A room's end-to-end encryption: `none` (the server reads the content) or `mls` (RFC 9420: the
 * server carries opaque MLS messages it cannot read; the room's seq is the group's total order).
 */
export const RoomEncryption = Type.Union([Type.Literal('none'), Type.Literal('mls')]);
export type RoomEncryption = Static<typeof RoomEncryption>;

/** The largest MLS message, in bytes: a commit carrying a few hundred adds fits. */
export const MAX_MLS_BYTES = 64 * 1024;
const base64Length = (bytes: number) => Math.ceil(bytes / 3) * 4;

/** TLS-serialised MLS bytes (RFC 9420 §6), standard base64 with padding. */
export const MlsBytes = Type.String({
  minLength: 4,
  maxLength: base64Length(MAX_MLS_BYTES),
  pattern: '^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$',
  description: 'An MLSMessage (RFC 9420 §6), base64.',
});

/**
 * What a commit changes in the room's membership, declared by its sender: the server cannot read a
 * commit's proposals (they travel encrypted), so it applies the membership the sender names and the
 * group enforces the rest (a member whose leaf was not added holds no key).
 */
export const MlsCommitFacts = Type.Object({
  added: Type.Array(UserId, { maxItems: 100, description: 'Users the commit adds: the Welcome is theirs.' }),
  removed: Type.Array(UserId, { maxItems: 100, description: 'Users the commit removes from the room.' }),
  /** The Welcome (an MLSMessage) for `added`. */
  welcome: Type.Optional(MlsBytes),
});
export type MlsCommitFacts = Static<typeof MlsCommitFacts>;

/** The public framing of an MLS message as the server reads it (RFC 9420 §6: no key needed). */
export const MlsFraming = Type.Object({
  epoch: Type.Integer({ minimum: 0, description: 'The epoch the message was sent in.' }),
  content_type: Type.Union([Type.Literal('application'), Type.Literal('proposal'), Type.Literal('commit')]),
});
export type MlsFraming = Static<typeof MlsFraming>;

/** A device of a user, as its client names it: each device has its own KeyPackages and leaf. */
export const DeviceId = Type.String({
  minLength: 1,
  maxLength: 64,
  pattern: '^[A-Za-z0-9_.:-]+$',
  description: 'The publishing device, as its client names it (absent: `default`).',
});

/** The most KeyPackages one device keeps published. */
export const MAX_KEY_PACKAGES_PER_DEVICE = 1000;

export const PublishKeyPackagesBody = Type.Object({
  device_id: Type.Optional(DeviceId),
  key_packages: Type.Array(MlsBytes, {
    maxItems: 100,
    description:
      "KeyPackages (MLSMessages of wire format `mls_key_package`) whose basic credential's identity is the caller.",
  }),
  /** Given out when none of the others is left, and never used up (RFC 9420 §16.8); replaces the previous one. */
  last_resort: Type.Optional(MlsBytes),
});
export type PublishKeyPackagesBody = Static<typeof PublishKeyPackagesBody>;

export const KeyPackageCount = Type.Object({
  device_id: DeviceId,
  available: Type.Integer({
    minimum: 0,
    description: 'KeyPackages not yet claimed (the last-resort one apart).',
  }),
  last_resort: Type.Boolean({ description: 'Whether the device has a last-resort KeyPackage.' }),
});
export const KeyPackageCounts = Type.Object({ devices: Type.Array(KeyPackageCount) });
export type KeyPackageCounts = Static<typeof KeyPackageCounts>;

export const ClaimedKeyPackage = Type.Object({
  device_id: DeviceId,
  key_package: MlsBytes,
  last_resort: Type.Boolean({
    description: 'The device had no other left: this one may be given out again.',
  }),
});
export const ClaimedKeyPackages = Type.Object({
  user_id: UserId,
  key_packages: Type.Array(ClaimedKeyPackage, {
    description: 'One per device of the user that published any.',
  }),
});
export type ClaimedKeyPackages = Static<typeof ClaimedKeyPackages>;

export const PendingWelcome = Type.Object({
  room_id: RoomId,
  seq: Type.Integer({ minimum: 1, description: 'The seq of the commit that issued it.' }),
  welcome: MlsBytes,
});
export const PendingWelcomes = Type.Object({ welcomes: Type.Array(PendingWelcome) });
export const WelcomeParams = Type.Object({ room_id: RoomId, seq: Type.Integer({ minimum: 1 }) });
export const KeyPackageOwnerParams = Type.Object({ user_id: UserId });

/**
 * Every refusal that reaches a client carries one of these stable codes. Clients may branch on
 * them; the messages are for humans and may change.
 */
export const ErrorCode = {
  unauthenticated: 'unauthenticated',
  invalid_token: 'invalid_token',
  token_expired: 'token_expired',
  already_authenticated: 'already_authenticated',
  invalid_frame: 'invalid_frame',
  invalid_request: 'invalid_request',
  unknown_type: 'unknown_type',
  frame_too_large: 'frame_too_large',
  content_too_long: 'content_too_long',
  content_empty: 'content_empty',
  rate_limited: 'rate_limited',
  overloaded: 'overloaded',
  too_many_connections: 'too_many_connections',
  not_member: 'not_member',
  room_not_found: 'room_not_found',
  room_exists: 'room_exists',
  message_not_found: 'message_not_found',
  message_deleted: 'message_deleted',
  forbidden: 'forbidden',
  feature_disabled: 'feature_disabled',
  file_too_large: 'file_too_large',
  file_type_not_allowed: 'file_type_not_allowed',
  file_type_mismatch: 'file_type_mismatch',
  file_size_mismatch: 'file_size_mismatch',
  file_not_found: 'file_not_found',
  file_not_verified: 'file_not_verified',
  upload_incomplete: 'upload_incomplete',
  upload_expired: 'upload_expired',
  subscription_not_found: 'subscription_not_found',
  seq_out_of_range: 'seq_out_of_range',
  conflict: 'conflict',
  timeout: 'timeout',
  unavailable: 'unavailable',
  internal: 'internal',
  invalid_emoji: 'invalid_emoji',
  too_many_reactions: 'too_many_reactions',
  banned: 'banned',
  muted: 'muted',
  content_blocked: 'content_blocked',
  report_not_found: 'report_not_found',
  suspended: 'suspended',
  account_erased: 'account_erased',
  /** Plain content sent to an end-to-end encrypted room, or MLS bytes to a plain one. */
  encryption_required: 'encryption_required',
  /** An MLS message for an epoch other than the group's current one: re-sync, then retry. */
  stale_epoch: 'stale_epoch',
  /** Bytes that are not an MLS message of the expected kind, or of another group. */
  malformed_mls: 'malformed_mls',
  /** A KeyPackage whose basic credential names another user than the caller. */
  credential_mismatch: 'credential_mismatch',
  key_package_not_found: 'key_package_not_found',
  welcome_not_found: 'welcome_not_found',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** An error as a value: what the decider, the gateway and the REST layer return instead of throwing. */
export interface Rejection {
  code: ErrorCode;
  message: string;
}

export const reject = (code: ErrorCode, message: string): Rejection => ({ code, message });

/** HTTP status for each code, so every REST route maps rejections the same way. */
export const httpStatusOf = (code: ErrorCode): number => {
  switch (code) {
    case 'unauthenticated':
    case 'invalid_token':
    case 'token_expired':
      return 401;
    case 'forbidden':
    case 'not_member':
    case 'banned':
    case 'muted':
    case 'suspended':
    case 'feature_disabled':
      return 403;
    case 'room_not_found':
    case 'file_not_found':
    case 'message_not_found':
    case 'subscription_not_found':
    case 'report_not_found':
    case 'key_package_not_found':
    case 'welcome_not_found':
      return 404;
    case 'room_exists':
    case 'conflict':
    case 'stale_epoch':
    case 'file_not_verified':
    case 'upload_incomplete':
      return 409;
    case 'upload_expired':
    case 'message_deleted':
    case 'account_erased':
      return 410;
    case 'frame_too_large':
    case 'file_too_large':
      return 413;
    case 'file_type_not_allowed':
      return 415;
    case 'file_type_mismatch':
    case 'file_size_mismatch':
    case 'content_blocked':
    case 'credential_mismatch':
      return 422;
    case 'rate_limited':
    case 'too_many_connections':
      return 429;
    case 'unavailable':
    case 'overloaded':
      return 503;
    case 'timeout':
      return 504;
    case 'internal':
      return 500;
    default:
      return 400;
  }
};

import { reject, type FileRejectionReason, type Rejection } from '@chat/contracts';
import { ALLOWED_CONTENT_TYPES, TEXT_CONTENT_TYPES } from './content-types';
import type { StoredObject } from './stored-object';

export interface FailedVerification {
  reason: FileRejectionReason;
  detail: string;
}

/**
 * Whether a stored object is the file that was declared: exactly its size, and content of the
 * declared type, which is allowed. A signature that is not on the allow-list (an ELF or PE
 * executable named `.png`, say) fails whatever the declared type, and so does a script.
 */
export const verify = (
  declared: { size: number; contentType: string },
  stored: StoredObject,
): FailedVerification | null => {
  if (stored.size !== declared.size) {
    return {
      reason: 'size_mismatch',
      detail: `Declared ${declared.size} bytes; ${stored.size} were uploaded.`,
    };
  }
  const { content } = stored;
  switch (content.kind) {
    case 'typed':
      if (!ALLOWED_CONTENT_TYPES.has(content.mime)) {
        return {
          reason: 'type_not_allowed',
          detail: `The content is ${content.mime}, which is not allowed.`,
        };
      }
      return content.mime === declared.contentType
        ? null
        : {
            reason: 'type_mismatch',
            detail: `Declared ${declared.contentType}; the content is ${content.mime}.`,
          };
    case 'text':
      return TEXT_CONTENT_TYPES.has(declared.contentType)
        ? null
        : { reason: 'type_mismatch', detail: `Declared ${declared.contentType}; the content is text.` };
    case 'script':
      return { reason: 'type_not_allowed', detail: 'The content is an executable script.' };
    case 'unknown':
      return { reason: 'type_not_allowed', detail: 'The content is of no recognised type.' };
  }
};

const CODE_OF: Record<FileRejectionReason, Rejection['code']> = {
  size_mismatch: 'file_size_mismatch',
  type_not_allowed: 'file_type_not_allowed',
  type_mismatch: 'file_type_mismatch',
};

/** How a failed verification is answered, the first time and every time after. */
export const rejectionOf = (failed: FailedVerification): Rejection =>
  reject(CODE_OF[failed.reason], failed.detail);

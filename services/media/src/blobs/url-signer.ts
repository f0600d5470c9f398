import { createHmac, timingSafeEqual } from 'node:crypto';
import { reject, type Rejection, type Result } from '@chat/contracts';
import type { ContentCipher } from '@chat/privacy';

const unixSeconds = (at: Date): number => Math.floor(at.getTime() / 1000);

/**
 * Signs the URLs the media service serves without a bearer token (an upload to the local blob
 * store, a file's content): HMAC-SHA256 over the method, the path and every parameter, with an
 * expiry. Every replica given the same secret accepts the others' URLs.
 */
export class UrlSigner {
  constructor(private readonly secret: Buffer) {}

  /** The query of a URL for `method` on `path`, valid until `expiresAt`. */
  sign(method: string, path: string, expiresAt: Date, params: Record<string, string> = {}): URLSearchParams {
    const query = new URLSearchParams({ ...params, expires: String(unixSeconds(expiresAt)) });
    query.set('signature', this.signature(method, path, query));
    return query;
  }

  /** Whether `query` was signed for `method` on `path` and has not expired. */
  check(method: string, path: string, query: URLSearchParams): Result<void, Rejection> {
    const given = Buffer.from(query.get('signature') ?? '');
    const expected = Buffer.from(this.signature(method, path, query));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return { ok: false, error: reject('forbidden', 'The URL is not valid.') };
    }
    if (Number(query.get('expires')) < unixSeconds(new Date())) {
      return { ok: false, error: reject('forbidden', 'The URL has expired.') };
    }
    return { ok: true, value: undefined };
  }

  /** Over every parameter but the signature, sorted: parameters cannot be changed, added or dropped. */
  private signature(method: string, path: string, query: URLSearchParams): string {
    const signed = [...query].filter(([name]) => name !== 'signature').sort(([a], [b]) => (a < b ? -1 : 1));
    return createHmac('sha256', this.secret)
      .update(JSON.stringify([method, path, signed]))
      .digest('base64url');
  }
}

/**
 * The secret of the media service's signed URLs: a platform data key (no user has the id `#media`,
 * which the user id pattern excludes), so every replica finds the same one in the key store.
 */
const SIGNED_URLS_KEY = { scope: 'media:signed-urls', user_id: '#media', period: 0 };

export const urlSignerOf = async (cipher: Pick<ContentCipher, 'dataKey'>): Promise<UrlSigner> =>
  new UrlSigner((await cipher.dataKey(SIGNED_URLS_KEY)).key);

import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { assertKey, type BlobStore } from './port';

export interface S3BlobStoreOptions {
  bucket: string;
  region: string;
  /** An S3-compatible server (MinIO); unset: AWS. */
  endpoint?: string;
  /**
   * Where clients reach the same server, when not at `endpoint` (a compose network name such as
   * `http://minio:9000` means nothing to a browser): presigned URLs are signed for this address.
   */
  publicEndpoint?: string;
  forcePathStyle?: boolean;
  /** Unset: the SDK's default chain (environment, profile, instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Put before every key, so deployments (and test runs) sharing a bucket stay apart. */
  keyPrefix?: string;
}

const isMissing = (error: unknown): boolean =>
  error instanceof S3ServiceException &&
  (error.$metadata.httpStatusCode === 404 || error.name === 'NoSuchKey');

/** Seconds from now until `at`; presigned URLs last at least one second. */
const secondsUntil = (at: Date): number => Math.max(1, Math.ceil((at.getTime() - Date.now()) / 1000));

/** Blobs on S3 or an S3-compatible server, with presigned URLs the clients use directly. */
export class S3BlobStore implements BlobStore {
  private constructor(
    private readonly client: S3Client,
    /** Signs the URLs handed to clients; makes no requests of its own. */
    private readonly signer: S3Client,
    private readonly bucket: string,
    private readonly keyPrefix: string,
  ) {}

  /** Connects and creates the bucket if it does not exist (a deployment usually provisions it). */
  static async open(options: S3BlobStoreOptions): Promise<S3BlobStore> {
    const clientAt = (endpoint: string | undefined) =>
      new S3Client({
        region: options.region,
        endpoint,
        forcePathStyle: options.forcePathStyle ?? false,
        credentials: options.credentials,
        // Checksums only where S3 requires them: a presigned PUT must not commit the client to the
        // checksum of a body the server has not seen, and ranged reads carry no whole-object checksum.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      });
    const client = clientAt(options.endpoint);
    const signer = options.publicEndpoint ? clientAt(options.publicEndpoint) : client;
    try {
      await client.send(new HeadBucketCommand({ Bucket: options.bucket }));
    } catch (error) {
      if (!isMissing(error)) throw error;
      await client.send(new CreateBucketCommand({ Bucket: options.bucket }));
    }
    return new S3BlobStore(client, signer, options.bucket, options.keyPrefix ?? '');
  }

  async uploadUrl(key: string, upload: { size: number; expiresAt: Date }): Promise<string> {
    // The length is signed: S3 refuses a body of any other size.
    const command = new PutObjectCommand({
      Bucket: this.bucket,
      Key: this.keyOf(key),
      ContentLength: upload.size,
    });
    return getSignedUrl(this.signer, command, { expiresIn: secondsUntil(upload.expiresAt) });
  }

  async inspect(key: string, headBytes: number): Promise<{ size: number; head: Uint8Array } | null> {
    const Key = this.keyOf(key);
    try {
      const { ContentLength: size = 0 } = await this.client.send(
        new HeadObjectCommand({ Bucket: this.bucket, Key }),
      );
      if (size === 0 || headBytes === 0) return { size, head: new Uint8Array() };
      const object = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key, Range: `bytes=0-${Math.min(headBytes, size) - 1}` }),
      );
      return { size, head: await object.Body!.transformToByteArray() };
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async read(key: string): Promise<AsyncIterable<Uint8Array> | null> {
    try {
      const object = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.keyOf(key) }),
      );
      return object.Body as Readable;
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async write(key: string, body: AsyncIterable<Uint8Array>, size: number): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.keyOf(key),
        Body: Readable.from(body),
        ContentLength: size,
      }),
    );
  }

  async move(from: string, to: string): Promise<boolean> {
    const source = this.keyOf(from);
    try {
      await this.client.send(
        new CopyObjectCommand({
          Bucket: this.bucket,
          Key: this.keyOf(to),
          CopySource: `${this.bucket}/${source}`,
        }),
      );
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: source }));
    return true;
  }

  async delete(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.keyOf(key) }));
  }

  close(): void {
    this.client.destroy();
    if (this.signer !== this.client) this.signer.destroy();
  }

  private keyOf(key: string): string {
    assertKey(key);
    return `${this.keyPrefix}${key}`;
  }
}

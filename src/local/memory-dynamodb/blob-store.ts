/**
 * The one-shot store's blobs (large resource bodies, the IDs a long scope has seen): the BlobStore
 * port in memory, beside the in-memory DynamoDB. Values are stored serialized, so a reader gets a
 * copy, as from S3; a missing key fails as S3's NoSuchKey does.
 */
import type { BlobStore } from '#store/blob-store.ts';

export class MemoryBlobStore implements BlobStore {
  private readonly objects = new Map<string, string>();
  constructor(readonly bucket = 'posture-memory') {}

  async putJson(key: string, value: unknown): Promise<void> {
    this.objects.set(key, JSON.stringify(value));
  }

  async getJson<T>(key: string): Promise<T> {
    const body = this.objects.get(key);
    if (body === undefined) throw Object.assign(new Error(`The specified key does not exist: s3://${this.bucket}/${key}`), { name: 'NoSuchKey' });
    return JSON.parse(body) as T;
  }
}

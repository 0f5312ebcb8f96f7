/** Small JSON blobs in the scan bucket: scan plans and the IDs seen by scopes that span invocations. */
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { AwsClients } from '#aws/clients.ts';

export interface BlobStore {
  readonly bucket: string;
  putJson(key: string, value: unknown): Promise<void>;
  getJson<T>(key: string): Promise<T>;
}

export class S3BlobStore implements BlobStore {
  constructor(
    private readonly clients: AwsClients,
    readonly bucket: string,
  ) {}

  async putJson(key: string, value: unknown): Promise<void> {
    await this.clients.get(S3Client).send(
      new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: JSON.stringify(value), ContentType: 'application/json' }),
    );
  }

  async getJson<T>(key: string): Promise<T> {
    const r = await this.clients.get(S3Client).send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    return JSON.parse(await r.Body!.transformToString()) as T;
  }
}

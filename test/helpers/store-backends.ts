/**
 * The two DynamoDB backends the stores run on: moto (the local runtime, the demo and the tests of
 * DynamoDB semantics) and the in-memory database of `posture scan`'s one-shot store. The store
 * tests run on both (describe.each), so the in-memory one is held to the same behaviour.
 */
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import type { AwsClients } from '../../src/aws/clients.ts';
import { MemoryBlobStore } from '../../src/local/memory-dynamodb/blob-store.ts';
import { memoryStoreClients } from '../../src/local/memory-dynamodb/clients.ts';
import { S3BlobStore, type BlobStore } from '../../src/store/blob-store.ts';
import { accountClients, randomAccountId } from './moto.ts';

export interface StoreBackend {
  name: string;
  clients: () => Promise<AwsClients>;
  /** The blob store beside it: an S3 bucket on moto, memory for the one-shot store. */
  blobs: (clients: AwsClients, bucket: string) => Promise<BlobStore>;
}

export const STORE_BACKENDS: StoreBackend[] = [
  {
    name: 'moto',
    clients: () => accountClients(randomAccountId()),
    blobs: async (clients, bucket) => {
      await clients.get(S3Client).send(new CreateBucketCommand({ Bucket: bucket }));
      return new S3BlobStore(clients, bucket);
    },
  },
  { name: 'the in-memory store', clients: async () => memoryStoreClients(), blobs: async (_clients, bucket) => new MemoryBlobStore(bucket) },
];

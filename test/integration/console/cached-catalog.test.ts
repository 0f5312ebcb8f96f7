/**
 * `posture console` keeps the active pack's catalog per pack version (cachedActiveCatalog): a page
 * of requests costs HEADs of the active bundle on moto's S3, not a download and a Python run each;
 * a publish (here written as `posture upload` writes it) is seen by the next request; a failed
 * read is not kept.
 */
import { CreateBucketCommand, DeleteObjectCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AwsClients } from '../../../src/aws/clients.ts';
import { cachedActiveCatalog } from '../../../src/cli/policy-catalog.ts';
import type { PolicyCatalog } from '../../../src/compliance/catalog.ts';
import { ACTIVE_BUNDLE_KEY, writeActiveBundle } from '../../../src/publish/active-bundle.ts';
import type { PackTarget } from '../../../src/publish/active-pack.ts';
import { accountClients, randomAccountId } from '../../helpers/moto.ts';

let target: PackTarget & { clients: AwsClients };
let s3: S3Client;

beforeAll(async () => {
  const clients = await accountClients(randomAccountId());
  s3 = clients.get(S3Client);
  const bucket = `catalog-cache-${Date.now()}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  target = { kind: 'local', name: 'local', bucket, outputs: {}, clients };
});

/** A reader that answers a catalog naming how many times it was asked. */
function countingReader() {
  const reader = {
    reads: 0,
    failNext: false,
    read: async () => {
      reader.reads += 1;
      if (reader.failNext) {
        reader.failNext = false;
        throw new Error('engine failed');
      }
      return { catalog: { policies: [{ id: `read-${reader.reads}` }] } as unknown as PolicyCatalog, label: 'test' };
    },
  };
  return reader;
}

const firstId = (c: PolicyCatalog) => (c as unknown as { policies: { id: string }[] }).policies[0]!.id;

describe('cachedActiveCatalog', () => {
  it('reads the built-in pack once, then again only after a publish changes the active bundle', async () => {
    const reader = countingReader();
    const catalog = cachedActiveCatalog(target, reader.read);
    expect(firstId(await catalog())).toBe('read-1');
    expect(firstId(await catalog())).toBe('read-1');
    expect(reader.reads).toBe(1);

    await writeActiveBundle(s3, target.bucket, new Uint8Array([1, 2, 3]), 'hash-a');
    expect(firstId(await catalog())).toBe('read-2');
    expect(firstId(await catalog())).toBe('read-2');
    expect(reader.reads).toBe(2);

    // Same key, new bytes: a second publish is a new version too.
    await writeActiveBundle(s3, target.bucket, new Uint8Array([4, 5, 6]), 'hash-b');
    expect(firstId(await catalog())).toBe('read-3');

    // The active bundle removed: the built-in pack again.
    await s3.send(new DeleteObjectCommand({ Bucket: target.bucket, Key: ACTIVE_BUNDLE_KEY }));
    expect(firstId(await catalog())).toBe('read-4');
    expect(reader.reads).toBe(4);
  });

  it('does not keep a failed read: the next request asks again', async () => {
    const reader = countingReader();
    const catalog = cachedActiveCatalog(target, reader.read);
    reader.failNext = true;
    await expect(catalog()).rejects.toThrow('engine failed');
    expect(firstId(await catalog())).toBe('read-2');
    expect(firstId(await catalog())).toBe('read-2');
  });

  it('names the target when it has no policy bucket', async () => {
    const stack = { kind: 'stack' as const, name: 'prod', bucket: '', outputs: {}, clients: target.clients };
    await expect(cachedActiveCatalog(stack, countingReader().read)()).rejects.toThrow(/--stack prod: output .* is missing/);
  });
});

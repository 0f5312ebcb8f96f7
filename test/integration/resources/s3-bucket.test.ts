import {
  CreateBucketCommand,
  DeleteBucketCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { createLoggedBucket, publicReadPolicy } from '../../../src/local/estate/audit-logging.ts';
import { bucketRegion, makeS3BucketType, S3_BUCKET } from '../../../src/resources/s3-bucket.ts';
import type { AwsClients, ClientCtor } from '../../../src/aws/clients.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';

const account = randomAccountId();
const suffix = account.slice(-6);
const FULL = `posture-full-${suffix}`;
const LOGS = `posture-logs-${suffix}`;
const BARE = `posture-bare-${suffix}`;
const GONE = `posture-gone-${suffix}`;

const POLICY = publicReadPolicy(FULL);

let ctx: ScanContext;
let clients: AwsClients;

beforeAll(async () => {
  ctx = await scanContext(account);
  clients = ctx.clients;
  const home = clients.get(S3Client);
  await home.send(new CreateBucketCommand({ Bucket: BARE }));
  await home.send(new CreateBucketCommand({ Bucket: GONE }));
  await createLoggedBucket(clients, { bucket: FULL, logBucket: LOGS, region: 'eu-west-1' });
});

/** `ctx` with S3 clients whose `commandName` calls are answered by `answer`. */
function intercept(base: ScanContext, commandName: string, answer: () => Promise<unknown>): ScanContext {
  const get = <T>(ctor: ClientCtor<T>, region?: string): T => {
    const client = base.clients.get(ctor, region) as T & { send: (cmd: object) => Promise<unknown> };
    if (ctor !== (S3Client as unknown)) return client;
    return new Proxy(client, {
      get(target, prop, receiver) {
        if (prop !== 'send') return Reflect.get(target, prop, receiver);
        return (cmd: object) => (cmd.constructor.name === commandName ? answer() : target.send(cmd));
      },
    });
  };
  return { ...base, cache: new Map(), clients: { region: base.clients.region, get } };
}

const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

describe('AWS.S3.Bucket', () => {
  it('lists every bucket once, across regions', async () => {
    const page = await S3_BUCKET.list(ctx);
    expect(page.refs.map((r) => r.name).sort()).toEqual([BARE, FULL, GONE, LOGS].sort());
    expect(page.nextPageToken).toBeUndefined();
    for (const ref of page.refs) expect(S3_BUCKET.resourceId(ctx, ref)).toBe(`arn:aws:s3:::${ref.name}`);
  });

  it('never loses buckets when the endpoint truncates at MaxBuckets without a continuation token', async () => {
    // moto answers MaxBuckets by truncating and returns no ContinuationToken (real S3 pages).
    const page = await makeS3BucketType({ pageSize: 2 }).list(ctx);
    expect(page.refs).toHaveLength(4);
    expect(page.nextPageToken).toBeUndefined();
  });

  it('models a fully configured bucket in its own region', async () => {
    const r = await S3_BUCKET.describe(ctx, { name: FULL });
    expect(r).not.toBeNull();
    const res = r!;
    expect(Object.keys(res).sort()).toEqual(
      [
        'AccountId', 'Arn', 'EncryptionRules', 'Grants', 'Id', 'LifecycleRules', 'LoggingPolicy', 'MFADelete', 'Name',
        'ObjectLockConfiguration', 'Owner', 'Policy', 'PublicAccessBlockConfiguration', 'Region', 'ResourceId', 'ResourceType',
        'Tags', 'TimeCreated', 'Versioning',
      ].sort(),
    );
    expect(res.ResourceId).toBe(`arn:aws:s3:::${FULL}`);
    expect(res.ResourceType).toBe('AWS.S3.Bucket');
    expect(res.Arn).toBe(res.ResourceId);
    expect(res.AccountId).toBe(account);
    expect(res.Region).toBe('eu-west-1');
    expect(res.Name).toBe(FULL);
    expect(res.Id).toBeNull();
    expect(res.TimeCreated).toMatch(RFC3339);
    expect(res.Tags).toEqual({ team: 'security', env: 'prod' });
    expect(res.EncryptionRules).toEqual([
      { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/posture' }, BucketKeyEnabled: true, BlockedEncryptionTypes: null },
    ]);
    const owner = res.Owner as { ID: string; DisplayName: string | null };
    expect(Object.keys(owner).sort()).toEqual(['DisplayName', 'ID']);
    expect(owner.ID).toMatch(/\w+/);
    const grants = res.Grants as { Grantee: Record<string, unknown>; Permission: string }[];
    // Every Grantee member is present (Panther policies index grant['Grantee']['URI']).
    for (const g of grants) expect(Object.keys(g.Grantee).sort()).toEqual(['DisplayName', 'EmailAddress', 'ID', 'Type', 'URI']);
    expect(grants).toContainEqual({
      Grantee: { DisplayName: null, EmailAddress: null, ID: null, Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' },
      Permission: 'READ',
    });
    expect(grants).toContainEqual({ Grantee: expect.objectContaining({ Type: 'CanonicalUser', ID: owner.ID, URI: null }), Permission: 'FULL_CONTROL' });
    expect(res.LifecycleRules).toEqual([
      expect.objectContaining({
        ID: 'expire',
        Status: 'Enabled',
        Prefix: null,
        Filter: expect.objectContaining({ Prefix: 'tmp/', Tag: null, And: null }),
        Expiration: { Date: null, Days: 90, ExpiredObjectDeleteMarker: null },
        Transitions: null,
        NoncurrentVersionExpiration: null,
      }),
    ]);
    expect(res.LoggingPolicy).toEqual({ TargetBucket: LOGS, TargetPrefix: 'full/', TargetGrants: null, TargetObjectKeyFormat: null });
    expect(res.Versioning).toBe('Enabled');
    // moto does not model MFA delete (GetBucketVersioning never returns MFADelete); the
    // pass-through of a real answer is covered with an intercepted client below.
    expect(res.MFADelete).toBeNull();
    expect(res.ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: 'Enabled',
      // moto answers Years 0 next to Days (real S3 sends only the one that is set).
      Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 365, Years: 0, DefaultEventHold: null } },
    });
    expect(res.Policy).toBe(POLICY);
    expect(typeof res.Policy).toBe('string');
    expect(res.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: false,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: false,
    });
    expect(JSON.stringify(res)).not.toContain('$metadata');
  });

  it('models a bare bucket with null settings', async () => {
    const res = (await S3_BUCKET.describe(ctx, { name: BARE }))!;
    expect(res).toMatchObject({
      ResourceId: `arn:aws:s3:::${BARE}`,
      Region: 'us-east-1',
      Name: BARE,
      Tags: null,
      EncryptionRules: null,
      LifecycleRules: null,
      LoggingPolicy: null,
      MFADelete: null,
      ObjectLockConfiguration: null,
      Policy: null,
      PublicAccessBlockConfiguration: null,
      Versioning: null,
    });
    // The owner's own FULL_CONTROL grant is always there.
    expect(res.Grants).toEqual([expect.objectContaining({ Permission: 'FULL_CONTROL' })]);
    expect(res.TimeCreated).toMatch(RFC3339);
  });

  it('finds TimeCreated without a prior listing (real-time rescans)', async () => {
    const fresh = await scanContext(account);
    const res = (await S3_BUCKET.describe(fresh, { name: FULL }))!;
    const listed = (await S3_BUCKET.describe(ctx, { name: FULL }))!;
    expect(res.TimeCreated).toMatch(RFC3339);
    expect(res.TimeCreated).toBe(listed.TimeCreated);
  });

  it('returns null for a deleted bucket', async () => {
    await clients.get(S3Client).send(new DeleteBucketCommand({ Bucket: GONE }));
    expect(await S3_BUCKET.describe(ctx, { name: GONE })).toBeNull();
  });

  it('passes MFADelete through and lets AccessDenied and throttling propagate', async () => {
    const versioning = intercept(ctx, 'GetBucketVersioningCommand', async () => ({ $metadata: {}, Status: 'Suspended', MFADelete: 'Enabled' }));
    expect(await S3_BUCKET.describe(versioning, { name: FULL })).toMatchObject({ Versioning: 'Suspended', MFADelete: 'Enabled' });

    const denied = intercept(ctx, 'GetBucketPolicyCommand', async () => {
      throw Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $fault: 'client' });
    });
    await expect(S3_BUCKET.describe(denied, { name: FULL })).rejects.toThrow('Access Denied');

    const throttled = intercept(ctx, 'GetBucketEncryptionCommand', async () => {
      throw Object.assign(new Error('Please reduce your request rate.'), { name: 'SlowDown', $fault: 'server' });
    });
    await expect(S3_BUCKET.describe(throttled, { name: BARE })).rejects.toThrow('reduce your request rate');
  });

  it('takes the bucket region from a wrong-region answer\'s x-amz-bucket-region header', async () => {
    const redirected = intercept(ctx, 'GetBucketLocationCommand', async () => {
      throw Object.assign(new Error('The bucket you are attempting to access must be addressed using the specified endpoint.'), {
        name: 'PermanentRedirect',
        $fault: 'client',
        $response: { statusCode: 301, headers: { 'x-amz-bucket-region': 'eu-west-1' } },
      });
    });
    expect(await S3_BUCKET.describe(redirected, { name: FULL })).toMatchObject({ Region: 'eu-west-1', Versioning: 'Enabled' });
    const denied = intercept(ctx, 'GetBucketLocationCommand', async () => {
      throw Object.assign(new Error('Access Denied'), { name: 'AccessDenied', $fault: 'client', $response: { statusCode: 403, headers: {} } });
    });
    await expect(S3_BUCKET.describe(denied, { name: FULL })).rejects.toThrow('Access Denied');
  });

  it('maps LocationConstraint to a region', () => {
    expect(bucketRegion(undefined)).toBe('us-east-1');
    expect(bucketRegion('')).toBe('us-east-1');
    expect(bucketRegion('EU')).toBe('eu-west-1');
    expect(bucketRegion('ap-south-1')).toBe('ap-south-1');
    expect(bucketRegion(null, 'aws-cn')).toBe('cn-north-1');
  });
});

/**
 * AWS.S3.Bucket — listed once per account (ListBuckets is global), each bucket described through
 * an S3 client in the bucket's own region.
 */
import { homeRegionOf } from '#core/partitions.ts';
import {
  GetBucketAclCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketLoggingCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand,
  Grant$,
  LifecycleRule$,
  ListBucketsCommand,
  LoggingEnabled$,
  ObjectLockConfiguration$,
  Owner$,
  PublicAccessBlockConfiguration$,
  S3Client,
  ServerSideEncryptionRule$,
  type Bucket,
} from '@aws-sdk/client-s3';
import { hasErrorCode, orNull } from './aws-errors.ts';
import { iso, shape, shapeList, tagMap } from './shape.ts';
import type { CloudTrailDetail, EventRule, ResourceType, ScanContext } from './types.ts';
import type { Resource } from '#core/resource.ts';

export interface BucketRef {
  name: string;
}

export const S3_BUCKET_TYPE = 'AWS.S3.Bucket';

/** GetBucketLocation's LocationConstraint as a region: empty = the partition's first region,
 *  "EU" (legacy) = eu-west-1. */
export function bucketRegion(locationConstraint: string | undefined | null, partition = 'aws'): string {
  if (!locationConstraint) return homeRegionOf(partition);
  if (locationConstraint === 'EU') return 'eu-west-1';
  return locationConstraint;
}

/** The region S3 names in an error's `x-amz-bucket-region` header (wrong-region answers). */
function regionHint(e: unknown): string | undefined {
  const headers = (e as { $response?: { headers?: Record<string, string | undefined> } } | null)?.$response?.headers;
  const region = headers?.['x-amz-bucket-region'];
  return region || undefined;
}

/** The bucket's region, or null when the bucket does not exist. */
async function locate(s3: S3Client, Bucket: string, partition: string): Promise<string | null> {
  try {
    const out = await s3.send(new GetBucketLocationCommand({ Bucket }));
    return bucketRegion(out.LocationConstraint, partition);
  } catch (e) {
    if (hasErrorCode(e, 'NoSuchBucket')) return null;
    // Some endpoints answer a bucket of another region with a redirect that names its region.
    const hinted = regionHint(e);
    if (hinted) return hinted;
    throw e;
  }
}

const createdKey = (name: string) => `s3:bucket-created:${name}`;

function rememberCreated(ctx: ScanContext, buckets: readonly Bucket[]): void {
  for (const b of buckets) if (b.Name) ctx.cache.set(createdKey(b.Name), Promise.resolve(iso(b.CreationDate)));
}

/** CreationDate comes only from ListBuckets: from this scope's listing, else a prefix query. */
async function creationDate(ctx: ScanContext, s3: S3Client, name: string): Promise<string | null> {
  const cached = ctx.cache.get(createdKey(name));
  if (cached) return (await cached) as string | null;
  let token: string | undefined;
  do {
    const page = await s3.send(new ListBucketsCommand({ Prefix: name, MaxBuckets: 1000, ContinuationToken: token }));
    const hit = page.Buckets?.find((b) => b.Name === name);
    if (hit) return iso(hit.CreationDate);
    token = page.ContinuationToken;
  } while (token);
  return null;
}

const bucketName = (d: CloudTrailDetail): BucketRef[] => {
  const name = d.requestParameters?.bucketName;
  return typeof name === 'string' && name ? [{ name }] : [];
};

const rescan: EventRule<BucketRef> = { action: 'rescan', refs: bucketName };

export interface S3BucketOptions {
  /** ListBuckets MaxBuckets per page (each bucket costs ~11 describe calls). */
  pageSize?: number;
}

export function makeS3BucketType(opts: S3BucketOptions = {}): ResourceType<BucketRef> {
  const pageSize = opts.pageSize ?? 100;
  return {
    type: S3_BUCKET_TYPE,
    asffType: 'AwsS3Bucket',
    service: 's3',
    scope: 'global',
    eventSource: 's3.amazonaws.com',

    async list(ctx, pageToken) {
      const s3 = ctx.clients.get(S3Client);
      const page = await s3.send(new ListBucketsCommand({ MaxBuckets: pageSize, ContinuationToken: pageToken }));
      let buckets = page.Buckets ?? [];
      if (!pageToken && !page.ContinuationToken && buckets.length >= pageSize) {
        // A full first page without a continuation token: either exactly `pageSize` buckets, or
        // an endpoint that truncates at MaxBuckets without paging (moto does). One unpaged call
        // tells them apart and never loses buckets.
        const all = await s3.send(new ListBucketsCommand({}));
        if ((all.Buckets?.length ?? 0) > buckets.length) buckets = all.Buckets ?? [];
      }
      rememberCreated(ctx, buckets);
      return {
        refs: buckets.flatMap((b) => (b.Name ? [{ name: b.Name }] : [])),
        ...(page.ContinuationToken ? { nextPageToken: page.ContinuationToken } : {}),
      };
    },

    async describe(ctx, ref) {
      const home = ctx.clients.get(S3Client);
      const Bucket = ref.name;
      const region = await locate(home, Bucket, ctx.partition);
      if (!region) return null;
      const s3 = ctx.clients.get(S3Client, region);
      try {
        const [acl, encryption, lifecycle, logging, versioning, objectLock, policy, pab, tagging, created] = await Promise.all([
          s3.send(new GetBucketAclCommand({ Bucket })),
          orNull(s3.send(new GetBucketEncryptionCommand({ Bucket })), 'ServerSideEncryptionConfigurationNotFoundError'),
          orNull(s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket })), 'NoSuchLifecycleConfiguration'),
          s3.send(new GetBucketLoggingCommand({ Bucket })),
          s3.send(new GetBucketVersioningCommand({ Bucket })),
          orNull(s3.send(new GetObjectLockConfigurationCommand({ Bucket })), 'ObjectLockConfigurationNotFoundError'),
          orNull(s3.send(new GetBucketPolicyCommand({ Bucket })), 'NoSuchBucketPolicy'),
          orNull(s3.send(new GetPublicAccessBlockCommand({ Bucket })), 'NoSuchPublicAccessBlockConfiguration'),
          orNull(s3.send(new GetBucketTaggingCommand({ Bucket })), 'NoSuchTagSet'),
          creationDate(ctx, home, Bucket),
        ]);
        const arn = `arn:${ctx.partition}:s3:::${Bucket}`;
        const resource: Resource = {
          ResourceId: arn,
          ResourceType: S3_BUCKET_TYPE,
          TimeCreated: created,
          AccountId: ctx.accountId,
          Region: region,
          Arn: arn,
          Id: null,
          Name: Bucket,
          Tags: tagMap(tagging?.TagSet),
          EncryptionRules: shapeList(ServerSideEncryptionRule$, encryption?.ServerSideEncryptionConfiguration?.Rules),
          Grants: shapeList(Grant$, acl.Grants),
          LifecycleRules: shapeList(LifecycleRule$, lifecycle?.Rules),
          LoggingPolicy: shape(LoggingEnabled$, logging.LoggingEnabled),
          MFADelete: versioning.MFADelete ?? null,
          ObjectLockConfiguration: shape(ObjectLockConfiguration$, objectLock?.ObjectLockConfiguration),
          Owner: shape(Owner$, acl.Owner),
          Policy: policy?.Policy ?? null,
          PublicAccessBlockConfiguration: shape(PublicAccessBlockConfiguration$, pab?.PublicAccessBlockConfiguration),
          Versioning: versioning.Status ?? null,
        };
        return resource;
      } catch (e) {
        // Deleted between GetBucketLocation and the describe calls.
        if (hasErrorCode(e, 'NoSuchBucket')) return null;
        throw e;
      }
    },

    resourceId(target, ref) {
      return `arn:${target.partition}:s3:::${ref.name}`;
    },

    events: {
      CreateBucket: rescan,
      DeleteBucket: { action: 'delete', refs: bucketName },
      PutBucketAcl: rescan,
      PutBucketPolicy: rescan,
      DeleteBucketPolicy: rescan,
      PutBucketEncryption: rescan,
      DeleteBucketEncryption: rescan,
      PutBucketVersioning: rescan,
      PutBucketLogging: rescan,
      PutBucketTagging: rescan,
      DeleteBucketTagging: rescan,
      PutBucketPublicAccessBlock: rescan,
      // CloudTrail records DeletePublicAccessBlock as DeleteBucketPublicAccessBlock; both are
      // listed so that either spelling triggers a rescan.
      DeleteBucketPublicAccessBlock: rescan,
      DeletePublicAccessBlock: rescan,
      // PutBucketLifecycleConfiguration is recorded as PutBucketLifecycle.
      PutBucketLifecycle: rescan,
      PutBucketLifecycleConfiguration: rescan,
      DeleteBucketLifecycle: rescan,
      PutObjectLockConfiguration: rescan,
      // BucketOwnerEnforced disables ACLs, which changes what GetBucketAcl reports.
      PutBucketOwnershipControls: rescan,
    },

    // SecurityAudit covers every call: s3:ListAllMyBuckets, s3:GetBucket* (Acl, Location, Logging,
    // Versioning, Policy, PublicAccessBlock, Tagging, ObjectLockConfiguration),
    // s3:GetEncryptionConfiguration, s3:GetLifecycleConfiguration.
    // ListBuckets per page; per bucket GetBucketLocation, Acl, Encryption, Lifecycle, Logging, Policy, Tagging, Versioning, ObjectLock, PublicAccessBlock.
    apiCalls: { perPage: 1, perResource: 10, perScope: 0 },
    iamActions: [],

    attributes: [
      { name: 'EncryptionRules', type: 'list<ServerSideEncryptionRule> | null', description: 'GetBucketEncryption ServerSideEncryptionConfiguration.Rules; null when no default encryption is configured.' },
      { name: 'Grants', type: 'list<Grant> | null', description: 'GetBucketAcl Grants (each with Grantee {DisplayName, EmailAddress, ID, Type, URI} and Permission); null when empty.' },
      { name: 'LifecycleRules', type: 'list<LifecycleRule> | null', description: 'GetBucketLifecycleConfiguration Rules; null when none.' },
      { name: 'LoggingPolicy', type: 'LoggingEnabled | null', description: 'GetBucketLogging LoggingEnabled {TargetBucket, TargetGrants, TargetPrefix, TargetObjectKeyFormat}; null when server access logging is off.' },
      { name: 'MFADelete', type: 'string | null', description: 'GetBucketVersioning MFADelete: "Enabled" or "Disabled"; null when versioning was never configured.' },
      { name: 'ObjectLockConfiguration', type: 'ObjectLockConfiguration | null', description: 'GetObjectLockConfiguration {ObjectLockEnabled, Rule}; null when object lock is not configured.' },
      { name: 'Owner', type: '{DisplayName, ID}', description: 'The bucket owner from GetBucketAcl.' },
      { name: 'Policy', type: 'string | null', description: 'The bucket policy as a JSON string; null when none.' },
      { name: 'PublicAccessBlockConfiguration', type: '{BlockPublicAcls, IgnorePublicAcls, BlockPublicPolicy, RestrictPublicBuckets} | null', description: 'The bucket-level public access block; null when none is set.' },
      { name: 'Versioning', type: 'string | null', description: 'GetBucketVersioning Status: "Enabled" or "Suspended"; null when versioning was never configured.' },
    ],
  };
}

export const S3_BUCKET: ResourceType<BucketRef> = makeS3BucketType();

/**
 * Fully configured audit logging, shared by the registry types' integration tests and the
 * documentation estate: an S3 bucket with every bucket-level setting and server access logging, a
 * multi-region CloudTrail trail, an AWS Config recorder with its delivery channel.
 */
import { AddTagsCommand, CloudTrailClient, CreateTrailCommand, PutEventSelectorsCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import { ConfigServiceClient, PutConfigurationRecorderCommand, PutDeliveryChannelCommand, StartConfigurationRecorderCommand } from '@aws-sdk/client-config-service';
import {
  CreateBucketCommand,
  PutBucketAclCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketLoggingCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutObjectLockConfigurationCommand,
  PutPublicAccessBlockCommand,
  S3Client,
  type BucketLocationConstraint,
} from '@aws-sdk/client-s3';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import type { AwsClients } from '#aws/clients.ts';

/** The public-read policy of `createLoggedBucket`'s bucket. */
export const publicReadPolicy = (bucket: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${bucket}/*` }],
  });

/**
 * In `region` (not us-east-1): `logBucket`, writable by S3 server access logging, and
 * `bucket` with object lock, a public-read ACL and policy, KMS default encryption, versioning,
 * access logging to `logBucket` under `full/`, a partial public access block, a lifecycle rule,
 * a default retention and tags.
 */
export async function createLoggedBucket(clients: AwsClients, opts: { bucket: string; logBucket: string; region: BucketLocationConstraint }): Promise<void> {
  const s3 = clients.get(S3Client, opts.region);
  const location = { LocationConstraint: opts.region };
  const { bucket, logBucket } = opts;
  await s3.send(new CreateBucketCommand({ Bucket: logBucket, CreateBucketConfiguration: location }));
  await s3.send(
    new PutBucketPolicyCommand({
      Bucket: logBucket,
      Policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'logging.s3.amazonaws.com' }, Action: ['s3:PutObject'], Resource: `arn:aws:s3:::${logBucket}/*` }],
      }),
    }),
  );
  await s3.send(new CreateBucketCommand({ Bucket: bucket, CreateBucketConfiguration: location, ObjectLockEnabledForBucket: true }));
  await s3.send(new PutBucketAclCommand({ Bucket: bucket, ACL: 'public-read' }));
  await s3.send(
    new PutBucketEncryptionCommand({
      Bucket: bucket,
      ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/posture' }, BucketKeyEnabled: true }] },
    }),
  );
  await s3.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: publicReadPolicy(bucket) }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  await s3.send(new PutBucketLoggingCommand({ Bucket: bucket, BucketLoggingStatus: { LoggingEnabled: { TargetBucket: logBucket, TargetPrefix: 'full/' } } }));
  await s3.send(
    new PutPublicAccessBlockCommand({
      Bucket: bucket,
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: false, BlockPublicPolicy: true, RestrictPublicBuckets: false },
    }),
  );
  await s3.send(
    new PutBucketLifecycleConfigurationCommand({
      Bucket: bucket,
      LifecycleConfiguration: { Rules: [{ ID: 'expire', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 90 } }] },
    }),
  );
  await s3.send(
    new PutObjectLockConfigurationCommand({
      Bucket: bucket,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 365 } } },
    }),
  );
  await s3.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: [{ Key: 'team', Value: 'security' }, { Key: 'env', Value: 'prod' }] } }));
}

/**
 * Topic `trail-delivery` and trail `org-audit`: multi-region, global service events, log file
 * validation, KMS, CloudWatch Logs delivery, SNS notifications, logging; management events plus
 * S3 data events of `bucket`; tagged. The bucket must exist. Returns the trail's ARN.
 */
export async function createAuditTrail(clients: AwsClients, opts: { bucket: string; kmsKeyId: string; logGroupArn: string; cloudWatchRoleArn: string }): Promise<string> {
  await clients.get(SNSClient).send(new CreateTopicCommand({ Name: 'trail-delivery' }));
  const trail = clients.get(CloudTrailClient);
  const arn = (
    await trail.send(
      new CreateTrailCommand({
        Name: 'org-audit',
        S3BucketName: opts.bucket,
        S3KeyPrefix: 'audit',
        SnsTopicName: 'trail-delivery',
        IsMultiRegionTrail: true,
        IncludeGlobalServiceEvents: true,
        EnableLogFileValidation: true,
        KmsKeyId: opts.kmsKeyId,
        CloudWatchLogsLogGroupArn: opts.logGroupArn,
        CloudWatchLogsRoleArn: opts.cloudWatchRoleArn,
      }),
    )
  ).TrailARN!;
  await trail.send(new StartLoggingCommand({ Name: 'org-audit' }));
  await trail.send(
    new PutEventSelectorsCommand({
      TrailName: 'org-audit',
      EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true, DataResources: [{ Type: 'AWS::S3::Object', Values: [`arn:aws:s3:::${opts.bucket}/`] }] }],
    }),
  );
  await trail.send(new AddTagsCommand({ ResourceId: arn, TagsList: [{ Key: 'owner', Value: 'secops' }] }));
  return arn;
}

/** Recorder `default` (all supported types, global ones included) with role `roleArn`, delivery
 *  channel `default` to `bucket` (which must exist), recording. */
export async function createDefaultRecorder(clients: AwsClients, opts: { roleArn: string; bucket: string }): Promise<void> {
  const config = clients.get(ConfigServiceClient);
  await config.send(
    new PutConfigurationRecorderCommand({
      ConfigurationRecorder: { name: 'default', roleARN: opts.roleArn, recordingGroup: { allSupported: true, includeGlobalResourceTypes: true } },
    }),
  );
  await config.send(new PutDeliveryChannelCommand({ DeliveryChannel: { name: 'default', s3BucketName: opts.bucket } }));
  await config.send(new StartConfigurationRecorderCommand({ ConfigurationRecorderName: 'default' }));
}

/**
 * The stack's private buckets share one posture: no public access, bucket-owner objects, TLS 1.2
 * only, versioned, access-logged, retained on stack deletion, old versions expired.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

export interface PrivateBucketProps {
  accessLogsBucket: s3.IBucket;
  /** Prefix of this bucket's access logs in the log bucket, e.g. `policy-bucket/`. */
  logPrefix: string;
  /** Days a replaced object version is kept. */
  noncurrentDays: number;
}

/** A private bucket with S3-managed keys: for objects that are not findings (code, templates), so
 *  readers need no KMS grant. */
export function privateBucket(scope: Construct, id: string, props: PrivateBucketProps): s3.Bucket {
  return new s3.Bucket(scope, id, {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    versioned: true,
    serverAccessLogsBucket: props.accessLogsBucket,
    serverAccessLogsPrefix: props.logPrefix,
    lifecycleRules: [{ id: 'noncurrent-versions', noncurrentVersionExpiration: Duration.days(props.noncurrentDays), abortIncompleteMultipartUploadAfter: Duration.days(1) }],
    removalPolicy: RemovalPolicy.RETAIN,
  });
}

/**
 * Persistent state: the DynamoDB tables declared in src/store/tables.ts, the scan bucket
 * (scope lists, Distributed Map results, resources too large for an item) and its access-log
 * bucket, all encrypted; tables and bucket with the customer-managed data key.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { TABLES, type KeyDef, type TableDef, type TableId } from '#store/tables.ts';
import { SCANS_PREFIX } from '#store/bucket-layout.ts';

/** Key prefix of everything one scan writes (scope lists, map results); expires after 30 days. */
export const SCANS_RETENTION = Duration.days(30);

const attribute = (key: KeyDef): dynamodb.Attribute => ({
  name: key.name,
  type: key.type === 'S' ? dynamodb.AttributeType.STRING : dynamodb.AttributeType.NUMBER,
});

export class Storage extends Construct {
  /** Customer-managed key (rotated yearly) of the tables and the scan bucket. */
  readonly dataKey: kms.Key;
  readonly tables: Record<TableId, dynamodb.Table>;
  readonly scanBucket: s3.Bucket;
  readonly accessLogsBucket: s3.Bucket;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    this.dataKey = new kms.Key(this, 'DataKey', {
      description: 'Posture data: DynamoDB tables and the scan bucket',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });

    const entries = (Object.values(TABLES) as TableDef[]).map((def) => [def.id, this.table(def)] as const);
    this.tables = Object.fromEntries(entries) as Record<TableId, dynamodb.Table>;

    this.accessLogsBucket = new s3.Bucket(this, 'AccessLogsBucket', {
      encryption: s3.BucketEncryption.S3_MANAGED, // the only encryption S3 server access logging supports
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.scanBucket = new s3.Bucket(this, 'ScanBucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: this.dataKey,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      serverAccessLogsBucket: this.accessLogsBucket,
      serverAccessLogsPrefix: 'scan-bucket/',
      lifecycleRules: [
        { id: 'expire-scans', prefix: SCANS_PREFIX, expiration: SCANS_RETENTION, noncurrentVersionExpiration: Duration.days(1) },
        { id: 'noncurrent-versions', noncurrentVersionExpiration: Duration.days(30), abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  private table(def: TableDef): dynamodb.Table {
    const table = new dynamodb.Table(this, `${def.id}Table`, {
      partitionKey: attribute(def.partitionKey),
      sortKey: def.sortKey && attribute(def.sortKey),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.dataKey,
      timeToLiveAttribute: def.ttlAttribute,
      stream: def.stream ? dynamodb.StreamViewType.NEW_AND_OLD_IMAGES : undefined,
      // Tables whose items expire (ledger, idempotency records) hold operational state only;
      // the others hold findings and onboarding data and outlive the stack.
      removalPolicy: def.ttlAttribute ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    });
    for (const index of def.indexes) {
      table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: attribute(index.partitionKey),
        sortKey: index.sortKey && attribute(index.sortKey),
        projectionType: index.include ? dynamodb.ProjectionType.INCLUDE : dynamodb.ProjectionType.ALL,
        nonKeyAttributes: index.include,
      });
    }
    return table;
  }
}

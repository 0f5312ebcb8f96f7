/**
 * Fully configured data stores, shared by the registry types' integration tests and the
 * documentation estate: a DynamoDB table with streams, TTL, PITR and auto scaling; an RDS
 * instance with a public and a shared snapshot; a Redshift cluster with audit logging.
 */
import { ApplicationAutoScalingClient, PutScalingPolicyCommand, RegisterScalableTargetCommand } from '@aws-sdk/client-application-auto-scaling';
import { CreateTableCommand, DynamoDBClient, UpdateContinuousBackupsCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { CreateDBInstanceCommand, CreateDBSnapshotCommand, ModifyDBSnapshotAttributeCommand, RDSClient } from '@aws-sdk/client-rds';
import { CreateClusterCommand, EnableLoggingCommand, RedshiftClient } from '@aws-sdk/client-redshift';
import type { AwsClients } from '#aws/clients.ts';

/** Table `orders`: provisioned, a GSI `by-customer`, NEW_IMAGE stream, KMS encryption, deletion
 *  protection, TTL on `expires`, point-in-time recovery, read auto scaling of table and index. */
export async function createOrdersTable(clients: AwsClients): Promise<void> {
  const ddb = clients.get(DynamoDBClient);
  const aas = clients.get(ApplicationAutoScalingClient);
  await ddb.send(
    new CreateTableCommand({
      TableName: 'orders',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'customer', AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      BillingMode: 'PROVISIONED',
      ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
      GlobalSecondaryIndexes: [
        {
          IndexName: 'by-customer',
          KeySchema: [{ AttributeName: 'customer', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'KEYS_ONLY' },
          ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 2 },
        },
      ],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' },
      SSESpecification: { Enabled: true, SSEType: 'KMS' },
      DeletionProtectionEnabled: true,
      Tags: [{ Key: 'team', Value: 'sales' }],
    }),
  );
  await ddb.send(new UpdateTimeToLiveCommand({ TableName: 'orders', TimeToLiveSpecification: { Enabled: true, AttributeName: 'expires' } }));
  await ddb.send(new UpdateContinuousBackupsCommand({ TableName: 'orders', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } }));
  for (const [ResourceId, ScalableDimension] of [
    ['table/orders', 'dynamodb:table:ReadCapacityUnits'],
    ['table/orders/index/by-customer', 'dynamodb:index:ReadCapacityUnits'],
  ] as const) {
    await aas.send(new RegisterScalableTargetCommand({ ServiceNamespace: 'dynamodb', ResourceId, ScalableDimension, MinCapacity: 5, MaxCapacity: 50 }));
  }
  await aas.send(
    new PutScalingPolicyCommand({
      PolicyName: 'orders-read',
      ServiceNamespace: 'dynamodb',
      ResourceId: 'table/orders',
      ScalableDimension: 'dynamodb:table:ReadCapacityUnits',
      PolicyType: 'TargetTrackingScaling',
      TargetTrackingScalingPolicyConfiguration: { TargetValue: 70, PredefinedMetricSpecification: { PredefinedMetricType: 'DynamoDBReadCapacityUtilization' } },
    }),
  );
}

/** PostgreSQL instance `orders` (created as "Orders": AWS stores identifiers in lowercase, moto
 *  keeps them as given), encrypted, publicly accessible, IAM auth; snapshot `orders-public`
 *  restorable by anyone, `orders-shared` by account 111122223333. */
export async function createOrdersDatabase(clients: AwsClients): Promise<void> {
  const rds = clients.get(RDSClient);
  await rds.send(
    new CreateDBInstanceCommand({
      DBInstanceIdentifier: 'Orders',
      DBInstanceClass: 'db.t3.micro',
      Engine: 'postgres',
      MasterUsername: 'dbadmin',
      // An emulator-only placeholder, not a credential.
      MasterUserPassword: 'not-a-real-password',
      AllocatedStorage: 20,
      StorageEncrypted: true,
      PubliclyAccessible: true,
      BackupRetentionPeriod: 7,
      EnableIAMDatabaseAuthentication: true,
      DeletionProtection: false,
      Tags: [{ Key: 'team', Value: 'data' }],
    }),
  );
  await rds.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'orders', DBSnapshotIdentifier: 'orders-public' }));
  await rds.send(new ModifyDBSnapshotAttributeCommand({ DBSnapshotIdentifier: 'orders-public', AttributeName: 'restore', ValuesToAdd: ['all'] }));
  await rds.send(new CreateDBSnapshotCommand({ DBInstanceIdentifier: 'orders', DBSnapshotIdentifier: 'orders-shared' }));
  await rds.send(new ModifyDBSnapshotAttributeCommand({ DBSnapshotIdentifier: 'orders-shared', AttributeName: 'restore', ValuesToAdd: ['111122223333'] }));
}

/** Redshift cluster `warehouse`: two ra3 nodes, encrypted, private, enhanced VPC routing, audit
 *  logging to `logBucket` under `audit/` (the bucket must exist in the cluster's region). */
export async function createWarehouse(clients: AwsClients, logBucket: string): Promise<void> {
  const redshift = clients.get(RedshiftClient);
  await redshift.send(
    new CreateClusterCommand({
      ClusterIdentifier: 'warehouse',
      NodeType: 'ra3.xlplus',
      ClusterType: 'multi-node',
      NumberOfNodes: 2,
      MasterUsername: 'admin',
      // An emulator-only placeholder, not a credential.
      MasterUserPassword: 'NotARealPassw0rd',
      Encrypted: true,
      PubliclyAccessible: false,
      EnhancedVpcRouting: true,
      Tags: [{ Key: 'team', Value: 'bi' }],
    }),
  );
  await redshift.send(new EnableLoggingCommand({ ClusterIdentifier: 'warehouse', BucketName: logBucket, S3KeyPrefix: 'audit/' }));
}

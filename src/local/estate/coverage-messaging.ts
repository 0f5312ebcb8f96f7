/**
 * Messaging, secrets and orchestration resources for issue #17's coverage types, shared by their
 * integration tests and the documentation estate: each type has a well-configured instance and,
 * where a built-in policy applies, a misconfigured one (the policies' failing case, scanned).
 */
import { CreateSecretCommand, PutResourcePolicyCommand, RotateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CreateDocumentCommand, ModifyDocumentPermissionCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { CognitoIdentityProviderClient, CreateUserPoolCommand, SetUserPoolMfaConfigCommand } from '@aws-sdk/client-cognito-identity-provider';
import { CreateEventBusCommand, EventBridgeClient, PutPermissionCommand } from '@aws-sdk/client-eventbridge';
import { CreateDeliveryStreamCommand, FirehoseClient, StartDeliveryStreamEncryptionCommand } from '@aws-sdk/client-firehose';
import { AddTagsToStreamCommand, CreateStreamCommand, EnableEnhancedMonitoringCommand, IncreaseStreamRetentionPeriodCommand, KinesisClient, StartStreamEncryptionCommand } from '@aws-sdk/client-kinesis';
import { CreateStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import { AttachPolicyCommand, CreateOrganizationCommand, CreatePolicyCommand, ListRootsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { EnableCommand, Inspector2Client } from '@aws-sdk/client-inspector2';
import { EnableSecurityHubCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { AccessAnalyzerClient } from '@aws-sdk/client-accessanalyzer';
import type { AwsClients, ClientCtor } from '#aws/clients.ts';

const doc = (Statement: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement });

/** Queue `orders` (SSE-KMS with `kmsKeyId`, a dead-letter queue `failed-orders` with SSE-SQS, an
 *  account-only policy, tagged) and queue `public-inbox` (unencrypted, anyone may send). Returns their URLs. */
export async function createQueues(c: AwsClients, acct: string, region: string, kmsKeyId: string): Promise<{ orders: string; dlq: string; open: string }> {
  const sqs = c.get(SQSClient, region);
  const dlq = (await sqs.send(new CreateQueueCommand({ QueueName: 'failed-orders', Attributes: { SqsManagedSseEnabled: 'true', MessageRetentionPeriod: '1209600' } }))).QueueUrl!;
  const orders = (
    await sqs.send(
      new CreateQueueCommand({
        QueueName: 'orders',
        Attributes: {
          KmsMasterKeyId: kmsKeyId,
          KmsDataKeyReusePeriodSeconds: '300',
          VisibilityTimeout: '60',
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: `arn:aws:sqs:${region}:${acct}:failed-orders`, maxReceiveCount: 5 }),
          Policy: doc([{ Sid: 'account', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${acct}:root` }, Action: 'sqs:*', Resource: `arn:aws:sqs:${region}:${acct}:orders` }]),
        },
        tags: { team: 'sales', env: 'prod' },
      }),
    )
  ).QueueUrl!;
  const open = (
    await sqs.send(
      new CreateQueueCommand({
        QueueName: 'public-inbox',
        Attributes: {
          SqsManagedSseEnabled: 'false',
          Policy: doc([{ Sid: 'anyone', Effect: 'Allow', Principal: '*', Action: 'sqs:SendMessage', Resource: `arn:aws:sqs:${region}:${acct}:public-inbox` }]),
        },
      }),
    )
  ).QueueUrl!;
  return { orders, dlq, open };
}

/** Topic `alerts` (KMS-encrypted, account-only policy, tagged) and
 *  topic `public-events` (unencrypted, anyone may publish). Returns their ARNs. */
export async function createTopics(c: AwsClients, acct: string, region: string, kmsKeyId: string): Promise<{ alerts: string; open: string }> {
  const sns = c.get(SNSClient, region);
  const arn = (name: string) => `arn:aws:sns:${region}:${acct}:${name}`;
  const alerts = (
    await sns.send(
      new CreateTopicCommand({
        Name: 'alerts',
        Attributes: {
          DisplayName: 'Alerts',
          KmsMasterKeyId: kmsKeyId,
          Policy: doc([{ Sid: 'account', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${acct}:root` }, Action: 'sns:Publish', Resource: arn('alerts') }]),
        },
        Tags: [{ Key: 'team', Value: 'secops' }],
      }),
    )
  ).TopicArn!;
  const open = (
    await sns.send(
      new CreateTopicCommand({
        Name: 'public-events',
        Attributes: { Policy: doc([{ Sid: 'anyone', Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sns:Publish', Resource: arn('public-events') }]) },
      }),
    )
  ).TopicArn!;
  return { alerts, open };
}

/** Secret `prod/db` (customer key, rotated every 30 days, account-only
 *  resource policy, tagged) holding `value`, and secret `legacy/api-key` (never rotated). Returns their ARNs. */
export async function createSecrets(c: AwsClients, acct: string, region: string, opts: { kmsKeyId: string; value: string }): Promise<{ db: string; legacy: string }> {
  const sm = c.get(SecretsManagerClient, region);
  const db = (
    await sm.send(new CreateSecretCommand({ Name: 'prod/db', Description: 'orders database credentials', KmsKeyId: opts.kmsKeyId, SecretString: opts.value, Tags: [{ Key: 'team', Value: 'data' }] }))
  ).ARN!;
  // AWS also takes the rotation function's ARN here; moto would invoke that function, which it
  // cannot run, so the estate sets the schedule alone (moto then rotates at once).
  await sm.send(new RotateSecretCommand({ SecretId: db, RotationRules: { AutomaticallyAfterDays: 30 } }));
  await sm.send(
    new PutResourcePolicyCommand({
      SecretId: db,
      ResourcePolicy: doc([{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${acct}:role/app` }, Action: 'secretsmanager:GetSecretValue', Resource: '*' }]),
    }),
  );
  const legacy = (await sm.send(new CreateSecretCommand({ Name: 'legacy/api-key', SecretString: opts.value }))).ARN!;
  return { db, legacy };
}

/** SecureString parameter `/app/db-password` (customer key, tagged) and String parameter
 *  `/app/feature-flags`, both holding `value`. */
export async function createParameters(c: AwsClients, region: string, opts: { kmsKeyId: string; value: string }): Promise<void> {
  const ssm = c.get(SSMClient, region);
  await ssm.send(
    new PutParameterCommand({ Name: '/app/db-password', Type: 'SecureString', KeyId: opts.kmsKeyId, Value: opts.value, Description: 'orders database password', Tags: [{ Key: 'team', Value: 'data' }] }),
  );
  await ssm.send(new PutParameterCommand({ Name: '/app/feature-flags', Type: 'String', Value: opts.value, Tier: 'Standard' }));
}

const COMMAND_DOC = JSON.stringify({
  schemaVersion: '2.2',
  description: 'Restart the app service',
  parameters: { service: { type: 'String', default: 'app', description: 'systemd unit' } },
  mainSteps: [{ action: 'aws:runShellScript', name: 'restart', inputs: { runCommand: ['systemctl restart {{ service }}'] } }],
});

/** Command documents `restart-app` (shared with one account) and `public-runbook` (shared with all). */
export async function createDocuments(c: AwsClients, region: string, shareWith: string): Promise<void> {
  const ssm = c.get(SSMClient, region);
  await ssm.send(new CreateDocumentCommand({ Name: 'restart-app', Content: COMMAND_DOC, DocumentType: 'Command', DocumentFormat: 'JSON', Tags: [{ Key: 'team', Value: 'ops' }] }));
  await ssm.send(new ModifyDocumentPermissionCommand({ Name: 'restart-app', PermissionType: 'Share', AccountIdsToAdd: [shareWith] }));
  await ssm.send(new CreateDocumentCommand({ Name: 'public-runbook', Content: COMMAND_DOC, DocumentType: 'Command', DocumentFormat: 'JSON' }));
  await ssm.send(new ModifyDocumentPermissionCommand({ Name: 'public-runbook', PermissionType: 'Share', AccountIdsToAdd: ['all'] }));
}

/** Stream `clickstream` (KMS-encrypted with `kmsKeyId`, kept 7 days, shard metrics, tagged) and
 *  stream `raw-events` (unencrypted, the default 24 hours). */
export async function createStreams(c: AwsClients, region: string, kmsKeyId: string): Promise<void> {
  const kinesis = c.get(KinesisClient, region);
  await kinesis.send(new CreateStreamCommand({ StreamName: 'clickstream', ShardCount: 2 }));
  await kinesis.send(new StartStreamEncryptionCommand({ StreamName: 'clickstream', EncryptionType: 'KMS', KeyId: kmsKeyId }));
  await kinesis.send(new IncreaseStreamRetentionPeriodCommand({ StreamName: 'clickstream', RetentionPeriodHours: 168 }));
  await kinesis.send(new EnableEnhancedMonitoringCommand({ StreamName: 'clickstream', ShardLevelMetrics: ['IncomingBytes', 'OutgoingBytes'] }));
  await kinesis.send(new AddTagsToStreamCommand({ StreamName: 'clickstream', Tags: { team: 'analytics' } }));
  await kinesis.send(new CreateStreamCommand({ StreamName: 'raw-events', ShardCount: 1 }));
}

/** Delivery stream `clickstream-archive` (to S3 `bucket`, encrypted with an AWS owned key,
 *  tagged) and `raw-archive` (to the same bucket, not encrypted). */
export async function createDeliveryStreams(c: AwsClients, acct: string, region: string, bucket: string): Promise<void> {
  const firehose = c.get(FirehoseClient, region);
  const s3 = (prefix: string) => ({
    RoleARN: `arn:aws:iam::${acct}:role/firehose-delivery`,
    BucketARN: `arn:aws:s3:::${bucket}`,
    Prefix: prefix,
    BufferingHints: { SizeInMBs: 64, IntervalInSeconds: 300 },
    CompressionFormat: 'GZIP' as const,
  });
  await firehose.send(
    new CreateDeliveryStreamCommand({
      DeliveryStreamName: 'clickstream-archive',
      DeliveryStreamType: 'DirectPut',
      ExtendedS3DestinationConfiguration: s3('clickstream/'),
      Tags: [{ Key: 'team', Value: 'analytics' }],
    }),
  );
  await firehose.send(new StartDeliveryStreamEncryptionCommand({ DeliveryStreamName: 'clickstream-archive', DeliveryStreamEncryptionConfigurationInput: { KeyType: 'AWS_OWNED_CMK' } }));
  await firehose.send(new CreateDeliveryStreamCommand({ DeliveryStreamName: 'raw-archive', DeliveryStreamType: 'DirectPut', ExtendedS3DestinationConfiguration: s3('raw/') }));
}

const FLOW = JSON.stringify({ Comment: 'orders', StartAt: 'Done', States: { Done: { Type: 'Pass', End: true } } });

/** State machine `orders-flow` (logs ALL to `logGroupArn`, X-Ray tracing, tagged) and
 *  `quick-job` (an express machine without logging). Returns their ARNs. */
export async function createStateMachines(c: AwsClients, acct: string, region: string, logGroupArn: string): Promise<{ orders: string; quick: string }> {
  const sfn = c.get(SFNClient, region);
  const roleArn = `arn:aws:iam::${acct}:role/states-exec`;
  const orders = (
    await sfn.send(
      new CreateStateMachineCommand({
        name: 'orders-flow',
        definition: FLOW,
        roleArn,
        type: 'STANDARD',
        loggingConfiguration: { level: 'ALL', includeExecutionData: false, destinations: [{ cloudWatchLogsLogGroup: { logGroupArn } }] },
        tracingConfiguration: { enabled: true },
        tags: [{ key: 'team', value: 'sales' }],
      }),
    )
  ).stateMachineArn!;
  const quick = (await sfn.send(new CreateStateMachineCommand({ name: 'quick-job', definition: FLOW, roleArn, type: 'EXPRESS' }))).stateMachineArn!;
  return { orders, quick };
}

/** Custom bus `orders` (one partner account may put events, tagged). */
export async function createEventBuses(c: AwsClients, region: string, partnerAccount: string): Promise<void> {
  const events = c.get(EventBridgeClient, region);
  await events.send(new CreateEventBusCommand({ Name: 'orders', Description: 'order events', Tags: [{ Key: 'team', Value: 'sales' }] }));
  await events.send(new PutPermissionCommand({ EventBusName: 'orders', StatementId: 'partner', Action: 'events:PutEvents', Principal: partnerAccount }));
}

/** User pool `customers` (MFA required, threat protection enforced, deletion protection, strong
 *  passwords, admin-created users only, tagged) and `legacy-users` (defaults). Returns their IDs. */
export async function createUserPools(c: AwsClients, region: string): Promise<{ customers: string; legacy: string }> {
  const idp = c.get(CognitoIdentityProviderClient, region);
  const customers = (
    await idp.send(
      new CreateUserPoolCommand({
        PoolName: 'customers',
        DeletionProtection: 'ACTIVE',
        UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
        Policies: { PasswordPolicy: { MinimumLength: 14, RequireUppercase: true, RequireLowercase: true, RequireNumbers: true, RequireSymbols: true, TemporaryPasswordValidityDays: 1 } },
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        AutoVerifiedAttributes: ['email'],
        UsernameAttributes: ['email'],
        UserPoolTags: { team: 'identity' },
      }),
    )
  ).UserPool!.Id!;
  // MFA ON needs a second factor: authenticator apps (TOTP).
  await idp.send(new SetUserPoolMfaConfigCommand({ UserPoolId: customers, MfaConfiguration: 'ON', SoftwareTokenMfaConfiguration: { Enabled: true } }));
  const legacy = (await idp.send(new CreateUserPoolCommand({ PoolName: 'legacy-users' }))).UserPool!.Id!;
  return { customers, legacy };
}

/** SCP `deny-leave-organization` (members may not leave the organization, tagged), attached to
 *  `targetId` (the root), in the organization of `c`'s management account. */
export async function createDenyLeaveScp(c: AwsClients, targetId: string): Promise<{ id: string; arn: string }> {
  const org = c.get(OrganizationsClient);
  const policy = (
    await org.send(
      new CreatePolicyCommand({
        Name: 'deny-leave-organization',
        Description: 'Member accounts may not leave the organization',
        Type: 'SERVICE_CONTROL_POLICY',
        Content: doc([{ Sid: 'DenyLeave', Effect: 'Deny', Action: 'organizations:LeaveOrganization', Resource: '*' }]),
        Tags: [{ Key: 'owner', Value: 'secops' }],
      }),
    )
  ).Policy!.PolicySummary!;
  await org.send(new AttachPolicyCommand({ PolicyId: policy.Id!, TargetId: targetId }));
  return { id: policy.Id!, arn: policy.Arn! };
}

type Send = (cmd: { constructor: { name: string }; input: Record<string, unknown> }) => Promise<unknown>;

/**
 * `clients` whose IAM Access Analyzer client answers as the IAM Access Analyzer API reference
 * documents it (moto does not implement the service): an ACTIVE account analyzer
 * `account-external` in `region` (tagged) and an unused-access analyzer; no analyzer elsewhere.
 */
export function withDocumentedAnalyzers(clients: AwsClients, acct: string, region: string): AwsClients {
  const analyzers = [
    {
      arn: `arn:aws:access-analyzer:${region}:${acct}:analyzer/account-external`,
      name: 'account-external',
      type: 'ACCOUNT',
      createdAt: new Date('2026-03-01T10:00:00Z'),
      lastResourceAnalyzed: `arn:aws:s3:::posture-example-logs-${acct}`,
      lastResourceAnalyzedAt: new Date('2026-12-01T08:00:00Z'),
      status: 'ACTIVE',
      tags: { team: 'secops' },
    },
    {
      arn: `arn:aws:access-analyzer:${region}:${acct}:analyzer/unused-access`,
      name: 'unused-access',
      type: 'ACCOUNT_UNUSED_ACCESS',
      createdAt: new Date('2026-03-01T10:05:00Z'),
      status: 'ACTIVE',
      configuration: { unusedAccess: { unusedAccessAge: 90 } },
    },
  ];
  const answer = async (cmd: Parameters<Send>[0], at: string): Promise<unknown> => {
    const mine = at === region ? analyzers : [];
    if (cmd.constructor.name === 'ListAnalyzersCommand') return { analyzers: mine };
    if (cmd.constructor.name === 'GetAnalyzerCommand') {
      const found = mine.find((a) => a.name === cmd.input.analyzerName);
      if (!found) throw Object.assign(new Error('Analyzer not found'), { name: 'ResourceNotFoundException' });
      return { analyzer: found };
    }
    throw new Error(`documented Access Analyzer: ${cmd.constructor.name} is not answered`);
  };
  const get = <T>(ctor: ClientCtor<T>, at?: string): T =>
    (ctor as unknown) === AccessAnalyzerClient ? ({ send: (cmd: Parameters<Send>[0]) => answer(cmd, at ?? clients.region) } as unknown as T) : clients.get(ctor, at);
  return { region: clients.region, get };
}

/** What the documentation estate holds of this file's types, and the token that picks each example. */
export async function seedMessagingExamples(
  c: AwsClients,
  acct: string,
  region: string,
  opts: { kmsKeyArn: string; bucket: string; logGroupArn: string; shareWith: string },
): Promise<Record<string, string>> {
  await createQueues(c, acct, region, opts.kmsKeyArn);
  await createTopics(c, acct, region, opts.kmsKeyArn);
  const secrets = await createSecrets(c, acct, region, { kmsKeyId: opts.kmsKeyArn, value: 'example-secret-value' });
  await createParameters(c, region, { kmsKeyId: opts.kmsKeyArn, value: 'example-parameter-value' });
  await createDocuments(c, region, opts.shareWith);
  await createStreams(c, region, opts.kmsKeyArn);
  await createDeliveryStreams(c, acct, region, opts.bucket);
  const machines = await createStateMachines(c, acct, region, opts.logGroupArn);
  await createEventBuses(c, region, opts.shareWith);
  const pools = await createUserPools(c, region);
  await c.get(SecurityHubClient, region).send(new EnableSecurityHubCommand({ EnableDefaultStandards: false }));
  await c.get(Inspector2Client, region).send(new EnableCommand({ accountIds: [acct], resourceTypes: ['EC2', 'ECR', 'LAMBDA'] }));
  const org = c.get(OrganizationsClient);
  await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
  const rootId = (await org.send(new ListRootsCommand({}))).Roots![0]!.Id!;
  const scp = await createDenyLeaveScp(c, rootId);
  return {
    'AWS.SQS.Queue': ':orders',
    'AWS.SNS.Topic': ':alerts',
    'AWS.SecretsManager.Secret': secrets.db,
    'AWS.SSM.Parameter': 'parameter/app/db-password',
    'AWS.SSM.Document': 'document/restart-app',
    'AWS.Kinesis.Stream': 'stream/clickstream',
    'AWS.Firehose.DeliveryStream': 'deliverystream/clickstream-archive',
    'AWS.StepFunctions.StateMachine': machines.orders,
    'AWS.EventBridge.EventBus': 'event-bus/orders',
    'AWS.Cognito.UserPool': pools.customers,
    'AWS.AccessAnalyzer.Analyzer': 'analyzer/account-external',
    'AWS.AccessAnalyzer.Analyzer.Meta': '',
    'AWS.SecurityHub.Meta': '',
    'AWS.Inspector.Meta': '',
    'AWS.Organizations.ServiceControlPolicy': scp.id,
  };
}

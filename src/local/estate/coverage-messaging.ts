/**
 * Messaging, secrets and orchestration resources for issue #17's coverage types, shared by their
 * integration tests and the documentation estate: each type has a well-configured instance and,
 * where a built-in policy applies, a misconfigured one (the policies' failing case, scanned).
 */
import { CreateSecretCommand, PutResourcePolicyCommand, RotateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateTopicCommand, SNSClient } from '@aws-sdk/client-sns';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { CreateDocumentCommand, ModifyDocumentPermissionCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import type { AwsClients } from '#aws/clients.ts';

const doc = (Statement: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement });

/** Queue `orders` (SSE-KMS with `kmsKeyId`, a dead-letter queue `orders-dlq` with SSE-SQS, an
 *  account-only policy, tagged) and queue `public-inbox` (unencrypted, anyone may send). Returns their URLs. */
export async function createQueues(c: AwsClients, acct: string, region: string, kmsKeyId: string): Promise<{ orders: string; dlq: string; open: string }> {
  const sqs = c.get(SQSClient, region);
  const dlq = (await sqs.send(new CreateQueueCommand({ QueueName: 'orders-dlq', Attributes: { SqsManagedSseEnabled: 'true', MessageRetentionPeriod: '1209600' } }))).QueueUrl!;
  const orders = (
    await sqs.send(
      new CreateQueueCommand({
        QueueName: 'orders',
        Attributes: {
          KmsMasterKeyId: kmsKeyId,
          KmsDataKeyReusePeriodSeconds: '300',
          VisibilityTimeout: '60',
          RedrivePolicy: JSON.stringify({ deadLetterTargetArn: `arn:aws:sqs:${region}:${acct}:orders-dlq`, maxReceiveCount: 5 }),
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

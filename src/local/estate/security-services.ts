/**
 * Fully configured security services, shared by the registry types' integration tests and the
 * documentation estate: a customer-managed KMS key, a GuardDuty detector, a WAFv2 web ACL with
 * rules and logging, an encrypted CloudWatch log group with retention, an ACM certificate.
 */
import { ACMClient, RequestCertificateCommand } from '@aws-sdk/client-acm';
import { CloudWatchLogsClient, CreateLogGroupCommand, PutRetentionPolicyCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateDetectorCommand, GuardDutyClient } from '@aws-sdk/client-guardduty';
import { CreateKeyCommand, EnableKeyRotationCommand, KMSClient } from '@aws-sdk/client-kms';
import { CreateWebACLCommand, PutLoggingConfigurationCommand, WAFV2Client, type VisibilityConfig } from '@aws-sdk/client-wafv2';
import type { AwsClients } from '#aws/clients.ts';

export const keyPolicy = (accountId: string) =>
  JSON.stringify({
    Version: '2012-10-17',
    Id: 'key-policy',
    Statement: [{ Sid: 'root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: 'kms:*', Resource: '*' }],
  });

/** Symmetric key "app data" with the account-root key policy, tags and rotation. Returns its KeyId. */
export async function createAppDataKey(clients: AwsClients, accountId: string): Promise<string> {
  const kms = clients.get(KMSClient);
  const keyId = (
    await kms.send(
      // moto echoes KeyUsage and MultiRegion only when CreateKey names them (AWS always reports them).
      new CreateKeyCommand({
        Description: 'app data',
        KeyUsage: 'ENCRYPT_DECRYPT',
        MultiRegion: false,
        Policy: keyPolicy(accountId),
        Tags: [{ TagKey: 'team', TagValue: 'data' }, { TagKey: 'env', TagValue: 'prod' }],
      }),
    )
  ).KeyMetadata!.KeyId!;
  await kms.send(new EnableKeyRotationCommand({ KeyId: keyId }));
  return keyId;
}

/** An enabled detector publishing every 15 minutes, with S3 protection. Returns its DetectorId. */
export async function createDetector(clients: AwsClients): Promise<string> {
  const out = await clients.get(GuardDutyClient).send(
    new CreateDetectorCommand({ Enable: true, FindingPublishingFrequency: 'FIFTEEN_MINUTES', DataSources: { S3Logs: { Enable: true } }, Tags: { team: 'secops' } }),
  );
  return out.DetectorId!;
}

export const visibility = (MetricName: string): VisibilityConfig => ({ SampledRequestsEnabled: true, CloudWatchMetricsEnabled: true, MetricName });

export interface WebAcl {
  name: string;
  id: string;
  arn: string;
}

/** A web ACL with its VisibilityConfig named after it. */
export async function createWebAcl(clients: AwsClients, input: Omit<ConstructorParameters<typeof CreateWebACLCommand>[0], 'VisibilityConfig'>): Promise<WebAcl> {
  const s = (await clients.get(WAFV2Client).send(new CreateWebACLCommand({ ...input, VisibilityConfig: visibility(input.Name!) }))).Summary!;
  return { name: s.Name!, id: s.Id!, arn: s.ARN! };
}

/** Regional web ACL `edge`: allow by default, AWS's common rule set and an IP rate limit, logging
 *  to `logDestination` (a log group ARN named aws-waf-logs-*). */
export async function createEdgeWebAcl(clients: AwsClients, logDestination: string): Promise<WebAcl> {
  const edge = await createWebAcl(clients, {
    Name: 'edge',
    Scope: 'REGIONAL',
    Description: 'public edge',
    DefaultAction: { Allow: {} },
    Rules: [
      {
        Name: 'common',
        Priority: 0,
        Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' } },
        OverrideAction: { None: {} },
        VisibilityConfig: visibility('common'),
      },
      { Name: 'rate', Priority: 1, Statement: { RateBasedStatement: { Limit: 1000, AggregateKeyType: 'IP' } }, Action: { Block: {} }, VisibilityConfig: visibility('rate') },
    ],
    Tags: [{ Key: 'team', Value: 'edge' }],
  });
  await clients.get(WAFV2Client).send(new PutLoggingConfigurationCommand({ LoggingConfiguration: { ResourceArn: edge.arn, LogDestinationConfigs: [logDestination] } }));
  return edge;
}

/** Log group `/posture/app`, encrypted with `kmsKeyArn`, tagged, kept 365 days. */
export async function createAppLogGroup(clients: AwsClients, kmsKeyArn: string): Promise<void> {
  const logs = clients.get(CloudWatchLogsClient);
  await logs.send(new CreateLogGroupCommand({ logGroupName: '/posture/app', kmsKeyId: kmsKeyArn, tags: { team: 'app', env: 'prod' } }));
  await logs.send(new PutRetentionPolicyCommand({ logGroupName: '/posture/app', retentionInDays: 365 }));
}

/** A DNS-validated certificate for shop.example.com and www.shop.example.com, without
 *  certificate-transparency logging, not exportable, tagged. Returns its ARN. */
export async function requestShopCertificate(clients: AwsClients): Promise<string> {
  const out = await clients.get(ACMClient).send(
    new RequestCertificateCommand({
      DomainName: 'shop.example.com',
      SubjectAlternativeNames: ['www.shop.example.com'],
      ValidationMethod: 'DNS',
      Options: { CertificateTransparencyLoggingPreference: 'DISABLED', Export: 'DISABLED' },
      Tags: [{ Key: 'team', Value: 'web' }, { Key: 'env', Value: 'prod' }],
    }),
  );
  return out.CertificateArn!;
}

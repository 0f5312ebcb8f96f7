/**
 * Where the documentation estate's examples differ from real AWS because of moto: parts moto
 * cannot produce, answered as the AWS API reference documents them, and attributes it leaves
 * null. Each entry says why; the resource docs print that under the example.
 */
import { GetCredentialReportCommand, IAMClient, ListVirtualMFADevicesCommand, type GetCredentialReportCommandOutput, type ListVirtualMFADevicesCommandOutput } from '@aws-sdk/client-iam';
import { BackupClient, GetBackupVaultAccessPolicyCommand } from '@aws-sdk/client-backup';
import { DescribeDBClustersCommand, RDSClient, type DescribeDBClustersCommandInput } from '@aws-sdk/client-rds';
import type { AwsClients, ClientCtor } from '#aws/clients.ts';
import { withDocumentedAnalyzers } from './estate/coverage-messaging.ts';
import { EXAMPLE_REGION } from './example-estate.ts';
import { documentedDocDbCluster, documentedVaultPolicy } from './estate/coverage-infra.ts';

/** Type → attributes the example leaves null only because moto does not model them, and why
 *  (each gap is covered by the type's integration test with a documented response). */
export const EMULATOR_GAPS: Readonly<Record<string, { attributes: string[]; reason: string }>> = {
  'AWS.CloudFormation.Stack': { attributes: ['DriftInformation', 'Drifts'], reason: 'moto has no drift detection (AWS reports NOT_CHECKED for a stack never checked)' },
  'AWS.Config.Recorder': { attributes: ['RecordingMode'], reason: 'moto does not model recording modes (AWS answers {RecordingFrequency: "CONTINUOUS", ...})' },
  'AWS.EC2.VPC': { attributes: ['StaleSecurityGroups'], reason: 'moto does not implement DescribeStaleSecurityGroups' },
  'AWS.Backup.Plan': { attributes: ['Tags'], reason: 'moto\'s ListTags reads the ARN from the wrong segment of the SDK\'s request path and answers no tags (the estate tags the plan with team=platform)' },
  'AWS.Backup.Vault': { attributes: ['Tags'], reason: 'moto\'s ListTags reads the ARN from the wrong segment of the SDK\'s request path and answers no tags (the estate tags the vault with team=platform)' },
  'AWS.S3.Bucket': { attributes: ['MFADelete'], reason: 'moto does not model MFA delete (GetBucketVersioning never returns it)' },
  'AWS.WAFv2.WebACL': { attributes: ['Resources'], reason: 'moto does not implement ListResourcesForWebACL (the estate associates this web ACL with its load balancer)' },
};

const REPORT_HEADER = 'user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated';

/** The root row as the IAM User Guide documents it: the password columns the root does not
 *  support read not_supported, unused dates N/A. A root with MFA and no access keys. */
const rootRow = (acct: string) =>
  `<root_account>,arn:aws:iam::${acct}:root,2019-02-03T04:05:06+00:00,not_supported,2025-05-01T10:00:00+00:00,not_supported,not_supported,true,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A`;

type Send = (cmd: object) => Promise<unknown>;

async function rootAnswers(cmd: object, send: Send, acct: string): Promise<unknown> {
  const out = await send(cmd);
  if (cmd instanceof GetCredentialReportCommand) {
    const r = out as GetCredentialReportCommandOutput;
    const lines = Buffer.from(r.Content ?? new Uint8Array()).toString('utf8').trim().split('\n');
    // Guard against moto changing its report: the documented row must fit its columns.
    if (lines[0] !== REPORT_HEADER) throw new Error(`credential report: unexpected header "${lines[0]}"`);
    return { ...r, Content: new TextEncoder().encode([REPORT_HEADER, rootRow(acct), ...lines.slice(1)].join('\n')) };
  }
  if (cmd instanceof ListVirtualMFADevicesCommand) {
    const r = out as ListVirtualMFADevicesCommandOutput;
    const root = {
      SerialNumber: `arn:aws:iam::${acct}:mfa/root-account-mfa-device`,
      User: { Arn: `arn:aws:iam::${acct}:root`, UserId: acct, UserName: '', Path: '/', CreateDate: new Date('2019-02-03T04:05:06Z') },
      EnableDate: new Date('2019-02-04T00:00:00Z'),
    };
    return { ...r, VirtualMFADevices: [...(r.VirtualMFADevices ?? []), root] };
  }
  return out;
}

/** `clients` whose IAM answers carry the documented root user (credential report row, MFA device). */
export function withDocumentedRoot(clients: AwsClients, acct: string): AwsClients {
  const get = <T>(ctor: ClientCtor<T>, region?: string): T => {
    const client = clients.get(ctor, region) as T & { send: Send };
    if ((ctor as unknown) !== IAMClient) return client;
    return new Proxy(client, {
      get: (target, prop, receiver) => (prop === 'send' ? (cmd: object) => rootAnswers(cmd, (c) => target.send(c), acct) : Reflect.get(target, prop, receiver)),
    });
  };
  return { region: clients.region, get };
}

/** `clients` whose `ctor` client answers `answer(cmd, send)` first (undefined: moto answers). */
function answering<T>(clients: AwsClients, ctor: ClientCtor<T>, answer: (cmd: object, send: Send) => Promise<unknown> | undefined): AwsClients {
  const get = <C>(c: ClientCtor<C>, region?: string): C => {
    const client = clients.get(c, region) as C & { send: Send };
    if ((c as unknown) !== ctor) return client;
    return new Proxy(client, {
      get: (target, prop, receiver) => (prop === 'send' ? (cmd: object) => answer(cmd, (x) => target.send(x)) ?? target.send(cmd) : Reflect.get(target, prop, receiver)),
    });
  };
  return { region: clients.region, get };
}

/** The DocumentDB clusters `catalog` and `dev-catalog` as DescribeDBClusters answers them (moto's
 *  RDS rejects the docdb engine), with the engine filter and identifier lookup applied. */
function withDocumentedDocDb(clients: AwsClients, acct: string): AwsClients {
  return answering(clients, RDSClient, (cmd) => {
    if (!(cmd instanceof DescribeDBClustersCommand)) return undefined;
    const input: DescribeDBClustersCommandInput = cmd.input;
    const engines = input.Filters?.find((f) => f.Name === 'engine')?.Values;
    const all = ['catalog', 'dev-catalog'].map((name) => documentedDocDbCluster(acct, clients.region, name, name === 'catalog'));
    const found = all.filter((c) => (!engines || engines.includes(c.Engine!)) && (!input.DBClusterIdentifier || c.DBClusterIdentifier === input.DBClusterIdentifier));
    if (input.DBClusterIdentifier && found.length === 0) return Promise.reject(Object.assign(new Error(`DBCluster ${input.DBClusterIdentifier} not found`), { name: 'DBClusterNotFoundFault' }));
    return Promise.resolve({ DBClusters: found });
  });
}

/** The access policy of vault `central` as GetBackupVaultAccessPolicy answers it (moto lacks the
 *  call); other vaults have none (ResourceNotFoundException). */
function withDocumentedVaultPolicy(clients: AwsClients, acct: string): AwsClients {
  return answering(clients, BackupClient, (cmd) => {
    if (!(cmd instanceof GetBackupVaultAccessPolicyCommand)) return undefined;
    const name = cmd.input.BackupVaultName!;
    if (name === 'central') return Promise.resolve(documentedVaultPolicy(acct, clients.region, name));
    return Promise.reject(Object.assign(new Error(`Backup vault ${name} has no access policy`), { name: 'ResourceNotFoundException' }));
  });
}

/** Type → why its example is (partly) built from documented responses instead of moto's, and the
 *  clients that give those responses. */
export const DOCUMENTED_EXAMPLES: Readonly<Record<string, { reason: string; clients: (clients: AwsClients, acct: string) => AwsClients }>> = {
  'AWS.IAM.RootUser': {
    reason:
      'moto\'s credential report has no `<root_account>` row and moto cannot assign an MFA device to the root user, so the report row and the root\'s virtual MFA device come from responses shaped as the IAM API reference and the IAM User Guide ("Getting credential reports") document them.',
    clients: withDocumentedRoot,
  },
  'AWS.AccessAnalyzer.Analyzer': {
    reason: 'moto does not implement IAM Access Analyzer, so ListAnalyzers and GetAnalyzer are answered as the IAM Access Analyzer API reference documents them (an account analyzer and an unused-access analyzer in us-east-1).',
    clients: (clients, acct) => withDocumentedAnalyzers(clients, acct, EXAMPLE_REGION),
  },
  'AWS.AccessAnalyzer.Analyzer.Meta': {
    reason: 'moto does not implement IAM Access Analyzer, so each region\'s ListAnalyzers is answered as the IAM Access Analyzer API reference documents it (analyzers in us-east-1, none in eu-west-1).',
    clients: (clients, acct) => withDocumentedAnalyzers(clients, acct, EXAMPLE_REGION),
  },
  'AWS.DocDB.Cluster': {
    reason:
      'moto\'s RDS rejects the docdb engine, so the DocumentDB clusters come from a DescribeDBClusters response shaped as the Amazon DocumentDB API reference documents the DBCluster type.',
    clients: withDocumentedDocDb,
  },
  'AWS.Backup.Vault': {
    reason: 'moto does not implement GetBackupVaultAccessPolicy, so the vault\'s access policy comes from a response shaped as the AWS Backup API reference documents it.',
    clients: withDocumentedVaultPolicy,
  },
};

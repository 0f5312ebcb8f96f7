/**
 * The emulator launcher's patches that the CLI and the demo rely on (src/local/moto_server.py):
 * JSON-protocol calls with the short X-Amz-Target the AWS SDK for JavaScript sends are served
 * (moto 5.2.6 answered them 404, so every CloudTrail scope failed), and a user tagged with the
 * emulator-only key-age tag gets back-dated access keys, in ListAccessKeys and the credential report;
 * a DynamoDB item's 400 KB limit, now checked once per item (patch 14), still holds at the same size.
 */
import { BackupClient, CreateBackupVaultCommand, GetBackupVaultAccessPolicyCommand } from '@aws-sdk/client-backup';
import { CloudTrailClient, CreateTrailCommand, DescribeTrailsCommand } from '@aws-sdk/client-cloudtrail';
import { CreateAccessKeyCommand, CreateUserCommand, GenerateCredentialReportCommand, GetCredentialReportCommand, IAMClient, ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { CreateClusterCommand, DescribeTasksCommand, ECSClient, RegisterTaskDefinitionCommand, RunTaskCommand } from '@aws-sdk/client-ecs';
import { CreateTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AwsClients } from '../../../src/aws/clients.ts';
import { agedKeysTag } from '../../../src/local/estate/iam.ts';
import { parseCredentialReport } from '../../../src/resources/iam-credential-report.ts';
import { accountClients, randomAccountId } from '../../helpers/moto.ts';

const DAY = 86_400_000;
let clients: AwsClients;
let accountId: string;

beforeAll(async () => {
  accountId = randomAccountId();
  clients = await accountClients(accountId);
});

describe('the emulator launcher', () => {
  it('serves CloudTrail calls with the SDK short X-Amz-Target (CloudTrail_20131101.DescribeTrails)', async () => {
    await clients.get(S3Client).send(new CreateBucketCommand({ Bucket: `trail-logs-${accountId}` }));
    await clients.get(CloudTrailClient).send(new CreateTrailCommand({ Name: 'main-trail', S3BucketName: `trail-logs-${accountId}`, IsMultiRegionTrail: true }));
    const ct = clients.get(CloudTrailClient);
    const targets: string[] = [];
    ct.middlewareStack.add(
      (next) => (args) => {
        targets.push(String((args.request as { headers: Record<string, string> }).headers['x-amz-target']));
        return next(args);
      },
      { step: 'finalizeRequest', name: 'testTargetSpy' },
    );
    const out = await ct.send(new DescribeTrailsCommand({ includeShadowTrails: false }));
    expect(targets).toEqual(['CloudTrail_20131101.DescribeTrails']);
    expect(out.trailList?.map((t) => t.Name)).toEqual(['main-trail']);
  });

  it('dates the access keys of a user tagged with the key-age tag that many days back, and no one else', async () => {
    const iam = clients.get(IAMClient);
    await iam.send(new CreateUserCommand({ UserName: 'old-key-user', Tags: [agedKeysTag(200)] }));
    await iam.send(new CreateAccessKeyCommand({ UserName: 'old-key-user' }));
    await iam.send(new CreateUserCommand({ UserName: 'new-key-user' }));
    await iam.send(new CreateAccessKeyCommand({ UserName: 'new-key-user' }));
    const created = async (UserName: string) => (await iam.send(new ListAccessKeysCommand({ UserName }))).AccessKeyMetadata![0]!.CreateDate!.getTime();
    expect(Math.round((Date.now() - (await created('old-key-user'))) / DAY)).toBe(200);
    expect(Date.now() - (await created('new-key-user'))).toBeLessThan(DAY);

    await iam.send(new GenerateCredentialReportCommand({}));
    const report = parseCredentialReport(Buffer.from((await iam.send(new GetCredentialReportCommand({}))).Content!).toString('utf8'));
    const row = (name: string) => report.get(`arn:aws:iam::${accountId}:user/${name}`)!;
    expect(Math.round((Date.now() - Date.parse(String(row('old-key-user').AccessKey1LastRotated))) / DAY)).toBe(200);
    // The user is as old as its key (a key cannot predate its user).
    expect(Date.parse(String(row('old-key-user').UserCreationTime))).toBeLessThanOrEqual(Date.parse(String(row('old-key-user').AccessKey1LastRotated)));
    expect(Date.now() - Date.parse(String(row('new-key-user').AccessKey1LastRotated))).toBeLessThan(DAY);
  });

  it('accepts a DynamoDB item just under 400 KB and refuses one just over, however many attributes carry the bytes', async () => {
    const ddb = clients.get(DynamoDBClient);
    await ddb.send(new CreateTableCommand({ TableName: 'sized', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }] }));
    // 40 attributes `aNN` of `size` bytes each, plus the key (pk + 'k' = 3 bytes): moto's limit is 405,000 bytes.
    const item = (size: number) => ({ pk: { S: 'k' }, ...Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`a${String(i).padStart(2, '0')}`, { S: 'x'.repeat(size) }])) });
    await ddb.send(new PutItemCommand({ TableName: 'sized', Item: item(10_121) })); // 3 + 40 × (3 + 10,121) = 404,963
    await expect(ddb.send(new PutItemCommand({ TableName: 'sized', Item: item(10_122) }))).rejects.toThrow(/Item size has exceeded/); // 405,003
  });

  it('answers GetBackupVaultAccessPolicy as AWS does for a vault without a policy, and for a missing vault (patch 17)', async () => {
    const backup = clients.get(BackupClient);
    await backup.send(new CreateBackupVaultCommand({ BackupVaultName: 'no-policy' }));
    await expect(backup.send(new GetBackupVaultAccessPolicyCommand({ BackupVaultName: 'no-policy' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException', message: expect.stringContaining('no-policy has no access policy') });
    await expect(backup.send(new GetBackupVaultAccessPolicyCommand({ BackupVaultName: 'never-created' }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('keeps a running ECS task RUNNING however often it is described, as AWS does (patch 19)', async () => {
    const ecs = clients.get(ECSClient);
    await ecs.send(new CreateClusterCommand({ clusterName: 'steady' }));
    await ecs.send(new RegisterTaskDefinitionCommand({ family: 'steady', containerDefinitions: [{ name: 'app', image: 'nginx', memory: 128 }] }));
    const taskArn = (await ecs.send(new RunTaskCommand({ cluster: 'steady', taskDefinition: 'steady', launchType: 'FARGATE', count: 1 }))).tasks![0]!.taskArn!;
    const statuses: string[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await ecs.send(new DescribeTasksCommand({ cluster: 'steady', tasks: [taskArn] }))).tasks![0]!.lastStatus!);
    expect(statuses).toEqual(['RUNNING', 'RUNNING', 'RUNNING', 'RUNNING', 'RUNNING']);
  });
});

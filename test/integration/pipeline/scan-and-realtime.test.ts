/**
 * The whole pipeline on moto server with the real Python engine and the built-in policies:
 * plan → scan (diff writes, reconciliation, ledger) → evaluate → compliance → alerts, and the
 * real-time path (DLQ, drops, coalescing, idempotency). Runs in private emulated accounts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, DeleteSecurityGroupCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { AlertPayload } from '../../../src/alerts/alert-payload.ts';
import { collectFindings } from '../../../src/compliance/findings.ts';
import { startLocalRuntime, type LocalRuntime } from '../../../src/local/runtime.ts';
import { FOUNDATION_TYPES } from '../../helpers/foundation.ts';
import { accountCredentials, motoEndpoint, randomAccountId } from '../../helpers/moto.ts';
import { createMember, type Member } from '../../helpers/member.ts';

const ONLY = ['us-east-1'];
let rt: LocalRuntime;
let member: Member;
let outsider: Member;
let sshGroup: string;
let quietGroup: string;
const alerts: AlertPayload[] = [];

const allRegionsBut = async (keep: string[]) => {
  const { DescribeRegionsCommand } = await import('@aws-sdk/client-ec2');
  const r = await rt.clients.get(EC2Client).send(new DescribeRegionsCommand({ AllRegions: true }));
  return r.Regions!.map((x) => x.RegionName!).filter((n) => !keep.includes(n) && !n.startsWith('cn-') && !n.startsWith('us-gov-'));
};

/** Who made a call, as CloudTrail records it (an assumed-role session of a pipeline). */
const pipeline = (accountId: string, ip = '203.0.113.7') => ({
  userIdentity: {
    type: 'AssumedRole',
    principalId: 'AROAEXAMPLEID:deploy-pipeline',
    arn: `arn:aws:sts::${accountId}:assumed-role/Admin/deploy-pipeline`,
    accountId,
    accessKeyId: 'ASIAEXAMPLE',
    sessionContext: { sessionIssuer: { type: 'Role', principalId: 'AROAEXAMPLEID', arn: `arn:aws:iam::${accountId}:role/Admin`, accountId, userName: 'Admin' } },
  },
  sourceIPAddress: ip,
  userAgent: 'aws-cli/2.15.0 Python/3.11.6',
});

const cloudTrail = (
  accountId: string,
  eventName: string,
  requestParameters: Record<string, unknown>,
  eventID: string = crypto.randomUUID(),
  eventTime = new Date().toISOString(),
  who: Record<string, unknown> = {},
) =>
  JSON.stringify({
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.ec2',
    account: accountId,
    region: 'us-east-1',
    detail: { eventID, eventName, eventTime, eventSource: 'ec2.amazonaws.com', awsRegion: 'us-east-1', recipientAccountId: accountId, requestParameters, ...who },
  });

async function sendRealtime(...bodies: string[]) {
  const sqs = rt.clients.get(SQSClient);
  for (const body of bodies) await sqs.send(new SendMessageCommand({ QueueUrl: rt.infra.queues.realtime, MessageBody: body }));
  return rt.pollRealtime();
}

beforeAll(async () => {
  const securityAccountId = randomAccountId();
  rt = await startLocalRuntime({ endpoint: motoEndpoint(), credentials: await accountCredentials(securityAccountId), onAlert: (a) => alerts.push(a) });
  // The pipeline is under test here, not the type list: the four foundation types keep it focused.
  rt.deps.registry = FOUNDATION_TYPES;
  member = await createMember(securityAccountId);
  member.account.excludeRegions = await allRegionsBut(ONLY);
  outsider = await createMember(securityAccountId);
  await rt.deps.accounts.put(member.account);

  const ec2 = member.clients.get(EC2Client);
  sshGroup = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'open-ssh', Description: 'ssh' }))).GroupId!;
  await ec2.send(
    new AuthorizeSecurityGroupIngressCommand({ GroupId: sshGroup, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }),
  );
  quietGroup = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'quiet', Description: 'nothing open' }))).GroupId!;
  await member.clients.get(S3Client).send(new CreateBucketCommand({ Bucket: `plain-${member.account.accountId}` }));
}, 120_000);

afterAll(async () => {
  await rt?.close();
});

const sgId = (groupId: string) => `arn:aws:ec2:us-east-1:${member.account.accountId}:security-group/${groupId}`;

describe('scheduled scan', () => {
  let scanId: string;

  it('scans every scope, stores resources and evaluates them', async () => {
    scanId = await rt.scan({ accountIds: [member.account.accountId] });
    const ledger = await rt.deps.ledger.forScan(scanId);
    const scopes = ledger.filter((e) => e.resourceType !== '*');
    expect(scopes.map((e) => e.resourceType).sort()).toEqual(['AWS.EC2.SecurityGroup', 'AWS.IAM.User', 'AWS.PasswordPolicy', 'AWS.S3.Bucket']);
    expect(scopes.every((e) => e.outcome === 'OK')).toBe(true);
    // Opt-in regions that are not enabled are recorded, not scanned and not errors.
    expect(ledger.filter((e) => e.outcome === 'REGION_DISABLED').length).toBe(0); // all excluded here

    const findings = await collectFindings(rt.deps, [member.account.accountId]);
    const byPolicy = (resourceId: string) => findings.filter((f) => f.resourceId === resourceId);
    expect(byPolicy(sgId(sshGroup)).some((f) => f.status === 'FAIL' && f.trigger === 'scheduled')).toBe(true);
    expect(byPolicy(sgId(quietGroup)).every((f) => f.status === 'PASS')).toBe(true);
    expect(byPolicy(`arn:aws:s3:::plain-${member.account.accountId}`).some((f) => f.status === 'FAIL')).toBe(true);
    expect(byPolicy(`${member.account.accountId}::AWS.PasswordPolicy`).some((f) => f.status === 'FAIL')).toBe(true);
    expect(alerts.some((a) => a.resourceId === sgId(sshGroup) && a.kind === 'opened')).toBe(true);
  });

  it('an immediate rescan of an unchanged account writes no resource and no compliance item', async () => {
    const before = await rt.deps.resources.all();
    // lastVerified moves with every scan by design; everything else must stay as it was.
    const findings = async () => (await collectFindings(rt.deps, [member.account.accountId])).map(({ lastVerified: _v, ...f }) => f);
    const compliance = await findings();
    const alertCount = alerts.length;
    const again = await rt.scan({ accountIds: [member.account.accountId] });
    expect(again).not.toBe(scanId);
    const after = await rt.deps.resources.all();
    expect(after.map((r) => [r.resourceId, r.lastChanged]).sort()).toEqual(before.map((r) => [r.resourceId, r.lastChanged]).sort());
    expect(await findings()).toEqual(compliance);
    expect(alerts.length).toBe(alertCount);
  });

  it('tombstones a resource that disappeared and resolves its alerts', async () => {
    await member.clients.get(EC2Client).send(new DeleteSecurityGroupCommand({ GroupId: sshGroup }));
    await rt.scan({ accountIds: [member.account.accountId] });
    const stored = await rt.deps.resources.get(sgId(sshGroup));
    expect(stored?.deleted).toBe(true);
    expect(alerts.some((a) => a.resourceId === sgId(sshGroup) && a.kind === 'resolved')).toBe(true);
    expect((await collectFindings(rt.deps, [member.account.accountId])).some((f) => f.resourceId === sgId(sshGroup))).toBe(false);
  });
});

describe('real-time path', () => {
  it('rescans a changed security group and opens an alert with the event as trigger', async () => {
    await member.clients.get(EC2Client).send(
      new AuthorizeSecurityGroupIngressCommand({ GroupId: quietGroup, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, Ipv6Ranges: [{ CidrIpv6: '::/0' }] }] }),
    );
    const out = await sendRealtime(cloudTrail(member.account.accountId, 'AuthorizeSecurityGroupIngress', { groupId: quietGroup }));
    expect(out.stats.rescanned).toBe(1);
    expect(out.batchItemFailures).toEqual([]);
    const alert = alerts.find((a) => a.resourceId === sgId(quietGroup) && a.kind === 'opened');
    expect(alert).toMatchObject({ trigger: 'realtime:AuthorizeSecurityGroupIngress', accountId: member.account.accountId, region: 'us-east-1' });
    expect(alert?.resource?.GroupId).toBe(quietGroup);
  });

  it('sends malformed messages to the DLQ with a reason and processes the rest of the batch', async () => {
    const out = await sendRealtime('{"detail-type": "AWS API Call via CloudTrail"', cloudTrail(member.account.accountId, 'RevokeSecurityGroupIngress', { groupId: quietGroup }));
    expect(out.stats.deadLettered).toBe(1);
    expect(out.stats.rescanned).toBe(1);
    const dlq = await rt.clients.get(SQSClient).send(new ReceiveMessageCommand({ QueueUrl: rt.infra.queues.deadLetter, MessageAttributeNames: ['All'] }));
    expect(dlq.Messages?.[0]?.MessageAttributes?.reason?.StringValue).toMatch(/^message is not JSON/);
  });

  it('drops events of accounts that are not onboarded, failed calls and unknown events, and counts them', async () => {
    const failed = JSON.parse(cloudTrail(member.account.accountId, 'AuthorizeSecurityGroupIngress', { groupId: quietGroup }));
    failed.detail.errorCode = 'Client.UnauthorizedOperation';
    const out = await sendRealtime(
      cloudTrail(outsider.account.accountId, 'AuthorizeSecurityGroupIngress', { groupId: 'sg-0123' }),
      JSON.stringify(failed),
      cloudTrail(member.account.accountId, 'SendSerialConsoleSSHPublicKey', {}),
    );
    expect(out.stats.dropped).toEqual({ notOnboarded: 1, readOnly: 0, failedCall: 1, unknownEvent: 1 });
    expect(out.stats.rescanned).toBe(0);
  });

  it('coalesces duplicate events for one resource and processes each eventID once', async () => {
    const a = cloudTrail(member.account.accountId, 'AuthorizeSecurityGroupIngress', { groupId: quietGroup }, 'evt-a', '2026-11-22T10:00:00Z');
    const b = cloudTrail(member.account.accountId, 'RevokeSecurityGroupIngress', { groupId: quietGroup }, 'evt-b', '2026-11-22T10:00:05Z');
    const first = await sendRealtime(a, b);
    expect(first.stats).toMatchObject({ received: 2, coalesced: 1, rescanned: 1 });
    // Redelivery of the same event: the idempotency record makes it a no-op, not an error.
    const again = await sendRealtime(b);
    expect(again.stats).toMatchObject({ received: 1, rescanned: 0, alreadySeen: 1, failed: 0 });
    expect(again.batchItemFailures).toEqual([]);
    // The older, coalesced event was answered by the same rescan: arriving again (say, from a log file), it is not rescanned.
    const older = await sendRealtime(a);
    expect(older.stats).toMatchObject({ received: 1, rescanned: 0, alreadySeen: 1 });
  });

  it('keeps the actor of the change on the version, the transition and the alert; coalesced events keep every actor', async () => {
    const ec2 = member.clients.get(EC2Client);
    const group = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'bastion-rt', Description: 'bastion' }))).GroupId!;
    await rt.scan({ accountIds: [member.account.accountId] });
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: group, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: group, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 443, ToPort: 443, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    const acct = member.account.accountId;
    const out = await sendRealtime(
      cloudTrail(acct, 'AuthorizeSecurityGroupIngress', { groupId: group }, 'evt-open-22', '2026-12-05T12:03:11Z', pipeline(acct)),
      cloudTrail(acct, 'AuthorizeSecurityGroupIngress', { groupId: group }, 'evt-open-443', '2026-12-05T12:03:40Z', pipeline(acct, '198.51.100.4')),
    );
    expect(out.stats).toMatchObject({ rescanned: 1, coalesced: 1 });
    const actors = [
      expect.objectContaining({ eventID: 'evt-open-22', arn: `arn:aws:sts::${acct}:assumed-role/Admin/deploy-pipeline`, sessionIssuer: `arn:aws:iam::${acct}:role/Admin`, sourceIPAddress: '203.0.113.7', userAgent: 'aws-cli/2.15.0 Python/3.11.6', identityType: 'AssumedRole', principalId: 'AROAEXAMPLEID:deploy-pipeline', accountId: acct, via: 'eventbridge' }),
      expect.objectContaining({ eventID: 'evt-open-443', sourceIPAddress: '198.51.100.4' }),
    ];
    const versions = await rt.history!.forResource(sgId(group));
    const changed = versions.filter((v) => v.kind === 'version' && v.change === 'changed');
    expect(changed).toHaveLength(1);
    expect(changed[0]).toMatchObject({ trigger: 'realtime:AuthorizeSecurityGroupIngress', provenance: { actors } });
    expect(changed[0]!.kind === 'version' && changed[0]!.diff?.added.map((d) => d.path)).toEqual(['IpPermissions[0]', 'IpPermissions[1]']);
    const opened = versions.filter((v) => v.kind === 'finding' && v.alert === 'opened');
    expect(opened.length).toBeGreaterThan(0);
    expect(opened.every((f) => f.provenance?.actors?.length === 2)).toBe(true);
    const alert = (await rt.deps.compliance.alerts('OPEN')).find((a) => a.resourceId === sgId(group));
    expect(alert?.provenance).toMatchObject({ actors });
    // The key ID of the session is not kept: only who, from where, with what.
    expect(JSON.stringify(versions)).not.toContain('ASIAEXAMPLE');
  });

  it('a change only the daily scan found carries the window since the scope was last scanned', async () => {
    const ec2 = member.clients.get(EC2Client);
    const group = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'quiet-change', Description: 'changed without an event' }))).GroupId!;
    await rt.scan({ accountIds: [member.account.accountId] });
    const previous = (await rt.deps.ledger.lastVerifiedStart(`${member.account.accountId}#us-east-1#AWS.EC2.SecurityGroup`))!;
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: group, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 3389, ToPort: 3389, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    await rt.scan({ accountIds: [member.account.accountId] });
    const versions = await rt.history!.forResource(sgId(group));
    const created = versions.find((v) => v.kind === 'version' && v.change === 'created')!;
    const changed = versions.find((v) => v.kind === 'version' && v.change === 'changed')!;
    expect(changed.provenance?.actors).toBeUndefined();
    // After the previous scan read the group (its page's observation, later than the scope's start), by this scan's read.
    expect(previous <= created.observedAt).toBe(true);
    expect(changed.provenance?.window).toEqual({ from: created.observedAt, to: changed.observedAt });
  });
});

/**
 * `posture resources history` and `posture changes` on a local runtime on moto (real SDK, the
 * real Python engine, the built-in policies, foundation types): a security group is scanned
 * (created), opened to the world and rescanned (changed, found by the scan; SSH alert opened),
 * closed by a caller whose CloudTrail event arrives in real time (changed, with the actor; alert
 * resolved), and deleted by that caller (a tombstone version). The timeline prints oldest first
 * with diffs and causes, as a table and as JSON; the digest groups by resource, filters by account
 * and type, and honours its window.
 */
import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, DeleteSecurityGroupCommand, DescribeRegionsCommand, EC2Client, RevokeSecurityGroupIngressCommand } from '@aws-sdk/client-ec2';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changesReport } from '../../../src/cli/commands/changes.ts';
import { resourceHistory } from '../../../src/cli/commands/resources.ts';
import type { Target } from '../../../src/cli/target.ts';
import type { ChangeDigest } from '../../../src/compliance/change-digest.ts';
import { historyRecordSchema, type HistoryRecord } from '../../../src/core/history.ts';
import { parseSince } from '../../../src/core/since.ts';
import { startLocalRuntime, type LocalRuntime } from '../../../src/local/runtime.ts';
import { FOUNDATION_TYPES } from '../../helpers/foundation.ts';
import { localTarget } from '../../helpers/local-target.ts';
import { createMember, type Member } from '../../helpers/member.ts';
import { accountCredentials, motoEndpoint, randomAccountId } from '../../helpers/moto.ts';

const ADMIN = 'arn:aws:sts::111122223333:assumed-role/Admin/deploy-pipeline';
const SSH = 'AWS.EC2.SecurityGroup.SSHOpenToWorld';
const SSH_RULE = [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }];

let rt: LocalRuntime;
let member: Member;
let target: Target;
let sgArn: string;
let start: string;
let beforeRealtime: string;

/** A CloudTrail event as EventBridge delivers it, with its caller. */
const cloudTrail = (accountId: string, eventName: string, requestParameters: Record<string, unknown>) =>
  JSON.stringify({
    'detail-type': 'AWS API Call via CloudTrail',
    source: 'aws.ec2',
    account: accountId,
    region: 'us-east-1',
    detail: {
      eventID: crypto.randomUUID(),
      eventName,
      eventTime: new Date().toISOString(),
      eventSource: 'ec2.amazonaws.com',
      awsRegion: 'us-east-1',
      recipientAccountId: accountId,
      requestParameters,
      userIdentity: { type: 'AssumedRole', arn: ADMIN, principalId: 'AROAEXAMPLE:deploy-pipeline', accountId: '111122223333', sessionContext: { sessionIssuer: { arn: 'arn:aws:iam::111122223333:role/Admin' } } },
      sourceIPAddress: '203.0.113.7',
      userAgent: 'aws-cli/2.15',
    },
  });

async function realtime(body: string): Promise<void> {
  await rt.clients.get(SQSClient).send(new SendMessageCommand({ QueueUrl: rt.infra.queues.realtime, MessageBody: body }));
  await rt.pollRealtime();
}

const since = (v: string) => parseSince(v, new Date());

beforeAll(async () => {
  const securityAccountId = randomAccountId();
  rt = await startLocalRuntime({ endpoint: motoEndpoint(), credentials: await accountCredentials(securityAccountId) });
  rt.deps.registry = FOUNDATION_TYPES;
  member = await createMember(securityAccountId);
  const regions = (await rt.clients.get(EC2Client).send(new DescribeRegionsCommand({ AllRegions: true }))).Regions!.map((r) => r.RegionName!);
  member.account.excludeRegions = regions.filter((r) => r !== 'us-east-1');
  await rt.deps.accounts.put(member.account);
  target = localTarget(rt, securityAccountId);
  const account = member.account.accountId;
  const ec2 = member.clients.get(EC2Client);
  const groupId = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'bastion', Description: 'bastion' }))).GroupId!;
  sgArn = `arn:aws:ec2:us-east-1:${account}:security-group/${groupId}`;
  await member.clients.get(S3Client).send(new CreateBucketCommand({ Bucket: `hist-${account}` }));

  start = new Date().toISOString();
  await rt.scan({ accountIds: [account] }); // created
  await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: SSH_RULE }));
  await rt.scan({ accountIds: [account] }); // changed, found by the scan; the SSH alert opens
  beforeRealtime = new Date().toISOString();
  await ec2.send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: SSH_RULE }));
  await realtime(cloudTrail(account, 'RevokeSecurityGroupIngress', { groupId })); // changed, with the actor; the alert resolves
  await ec2.send(new DeleteSecurityGroupCommand({ GroupId: groupId }));
  await realtime(cloudTrail(account, 'DeleteSecurityGroup', { groupId })); // deleted: a tombstone version
}, 300_000);

afterAll(async () => {
  await rt?.close();
});

describe('posture resources history', () => {
  it('JSON: the records as stored, oldest first: created, changed by a scan, changed and deleted by the caller, the SSH verdict opened then resolved', async () => {
    const r = await resourceHistory(target, sgArn, { since: since('30d'), format: 'json' });
    expect(r.error).toBeUndefined();
    const records = (JSON.parse(r.out) as unknown[]).map((x) => historyRecordSchema.parse(x)) as HistoryRecord[];
    expect(records).toEqual(await target.history.forResource(sgArn));
    const versions = records.filter((x) => x.kind === 'version');
    expect(versions.map((v) => v.change)).toEqual(['created', 'changed', 'changed', 'deleted']);
    expect(versions.map((v) => v.trigger)).toEqual(['scheduled', 'scheduled', 'realtime:RevokeSecurityGroupIngress', 'realtime:DeleteSecurityGroup']);
    expect(versions[0]!.provenance?.window).toEqual({ from: null, to: versions[0]!.observedAt });
    expect(versions[1]!.diff?.added.map((e) => e.path)).toEqual(expect.arrayContaining([expect.stringMatching(/^IpPermissions\[0\]|^IpPermissions$/)]));
    expect(versions[2]!.provenance?.actors?.[0]).toMatchObject({ arn: ADMIN, eventName: 'RevokeSecurityGroupIngress', sourceIPAddress: '203.0.113.7' });
    expect(versions[3]!.provenance?.actors?.[0]).toMatchObject({ arn: ADMIN, eventName: 'DeleteSecurityGroup' });
    const ssh = records.filter((x) => x.kind === 'finding' && x.policyId === SSH);
    expect(ssh.map((f) => (f.kind === 'finding' ? [f.fromStatus, f.toStatus, f.alert] : []))).toEqual(
      expect.arrayContaining([
        ['PASS', 'FAIL', 'opened'],
        ['FAIL', 'PASS', 'resolved'],
      ]),
    );
    const observed = records.map((x) => x.observedAt);
    expect(observed).toEqual([...observed].sort());
  });

  it('table: a block per record with time, what, trigger, cause and the diff lines', async () => {
    const { out } = await resourceHistory(target, sgArn, { since: since('30d'), format: 'table' });
    const blocks = out.trimEnd().split('\n\n');
    const heads = blocks.map((b) => b.split('\n')[0]!);
    expect(heads.filter((h) => !h.includes('FINDING')).map((h) => h.replace(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC {2}/, ''))).toEqual(['created', 'changed', 'changed', 'deleted']);
    expect(heads).toContainEqual(expect.stringMatching(new RegExp(`UTC {2}FINDING ${SSH.replace(/\./g, '\\.')} PASS→FAIL \\(alert opened\\)$`)));
    expect(heads).toContainEqual(expect.stringMatching(new RegExp(`UTC {2}FINDING ${SSH.replace(/\./g, '\\.')} FAIL→PASS \\(alert resolved\\)$`)));
    const created = blocks.find((b) => / {2}created\n/.test(b))!;
    expect(created).toMatch(/\n {2}trigger: scheduled\n {2}cause: {3}found by a scan at .* UTC: first seen then$/);
    const opened = blocks.find((b) => / {2}changed\n {2}trigger: scheduled/.test(b))!;
    // The version comes before the verdicts it moved at the same observation.
    expect(blocks.indexOf(opened)).toBeLessThan(heads.findIndex((h) => h.includes(`${SSH} PASS→FAIL`)));
    expect(opened).toMatch(/cause: {3}found by a scan: changed between .* UTC and .* UTC \(no CloudTrail event was seen\)/);
    expect(opened).toMatch(/\n {4}\+ IpPermissions.*0\.0\.0\.0\/0/);
    const closed = blocks.find((b) => /trigger: realtime:RevokeSecurityGroupIngress/.test(b) && !b.includes('FINDING'))!;
    expect(closed).toMatch(new RegExp(`cause: {3}after ${ADMIN.replace(/[/.]/g, '\\$&')} called RevokeSecurityGroupIngress from 203\\.0\\.113\\.7 at \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC`));
    expect(closed).toMatch(/\n {4}- IpPermissions.*\(was .*0\.0\.0\.0\/0/);
    const deleted = blocks.find((b) => / {2}deleted\n/.test(b))!;
    expect(deleted).toMatch(new RegExp(`after ${ADMIN.replace(/[/.]/g, '\\$&')} called DeleteSecurityGroup`));
  });

  it('--since narrows the window; an empty window says so; an unknown resource is an error', async () => {
    const recent = JSON.parse((await resourceHistory(target, sgArn, { since: beforeRealtime, format: 'json' })).out) as HistoryRecord[];
    expect(recent.filter((x) => x.kind === 'version').map((x) => x.trigger)).toEqual(['realtime:RevokeSecurityGroupIngress', 'realtime:DeleteSecurityGroup']);
    const later = new Date(Date.now() + 60_000).toISOString();
    expect((await resourceHistory(target, sgArn, { since: later, format: 'table' })).out).toMatch(new RegExp(`^${sgArn.replace(/[/.]/g, '\\$&')}: no history since .* UTC \\(nothing changed in the window, or the records expired\\)\\n$`));
    expect(await resourceHistory(target, 'arn:aws:ec2:us-east-1:000000000000:security-group/sg-nope', { since: since('30d'), format: 'table' })).toEqual({
      out: '',
      error: 'no stored resource arn:aws:ec2:us-east-1:000000000000:security-group/sg-nope',
    });
  });
});

describe('posture changes', () => {
  const digest = async (opts: { since?: string; accounts?: string[]; types?: string[] }) =>
    JSON.parse(await changesReport(target, { since: opts.since ?? since('24h'), format: 'json', ...opts })) as ChangeDigest & { accounts: string[] };

  it('groups the estate changes by resource, with the actor, the scan windows and the findings moved', async () => {
    const d = await digest({});
    expect(d.accounts).toEqual([member.account.accountId]);
    const sg = d.resources.find((r) => r.resourceId === sgArn)!;
    expect(sg).toMatchObject({ resourceType: 'AWS.EC2.SecurityGroup', accountId: member.account.accountId, region: 'us-east-1' });
    expect(sg.versions.map((v) => v.change)).toEqual(['created', 'changed', 'changed', 'deleted']);
    expect(sg.versions[1]!.summary).toMatch(/^\d+ paths?: \+ IpPermissions/);
    expect(sg.actors).toEqual([{ name: ADMIN, eventNames: ['DeleteSecurityGroup', 'RevokeSecurityGroupIngress'], sourceIPs: ['203.0.113.7'], times: [expect.any(String), expect.any(String)] }]);
    expect(sg.scanWindows).toHaveLength(2);
    expect(sg.findings.filter((f) => f.policyId === SSH).map((f) => f.alert)).toEqual(expect.arrayContaining(['opened', 'resolved']));
    // The bucket and the account-level types were created by the first scan.
    expect(d.resources.some((r) => r.resourceType === 'AWS.S3.Bucket')).toBe(true);
    expect(d.totals.resources).toBe(d.resources.length);
    expect(d.totals.actors).toBe(1);
    expect(d.totals.findingsOpened).toBeGreaterThanOrEqual(1);
    expect(d.totals.findingsResolved).toBeGreaterThanOrEqual(1);
  });

  it('filters by type and by account, and keeps to its window', async () => {
    const sgs = await digest({ types: ['AWS.EC2.SecurityGroup'] });
    expect(sgs.resources.length).toBeGreaterThan(0);
    expect(new Set(sgs.resources.map((r) => r.resourceType))).toEqual(new Set(['AWS.EC2.SecurityGroup']));
    expect((await digest({ accounts: [randomAccountId()] })).resources).toEqual([]);
    expect((await digest({ accounts: [member.account.accountId] })).resources.length).toBe((await digest({})).resources.length);
    // Since the real-time events: only the group's last two versions and the resolved alert.
    const recent = await digest({ since: beforeRealtime });
    expect(recent.resources.map((r) => r.resourceId)).toEqual([sgArn]);
    expect(recent.resources[0]!.versions.map((v) => v.trigger)).toEqual(['realtime:RevokeSecurityGroupIngress', 'realtime:DeleteSecurityGroup']);
    expect(recent.resources[0]!.scanWindows).toEqual([]);
    expect((await digest({ since: new Date(Date.now() + 60_000).toISOString() })).resources).toEqual([]);
    expect(start < beforeRealtime).toBe(true);
  });

  it('table: a block per resource and the summary line', async () => {
    const out = await changesReport(target, { since: since('24h'), format: 'table' });
    expect(out).toContain(`${sgArn}\n  AWS.EC2.SecurityGroup · account ${member.account.accountId} · us-east-1\n`);
    expect(out).toMatch(new RegExp(`\\n {2}by ${ADMIN.replace(/[/.]/g, '\\$&')}: DeleteSecurityGroup, RevokeSecurityGroupIngress from 203\\.0\\.113\\.7 at `));
    expect(out).toMatch(new RegExp(`\\n {2}finding ${SSH.replace(/\./g, '\\.')} \\[\\w+\\] FAIL→PASS \\(alert resolved\\)`));
    expect(out.trimEnd().split('\n').at(-1)).toMatch(/^\d+ resources changed since .* UTC, \d+ findings? opened, \d+ resolved, by 1 actor$/);
  });
});

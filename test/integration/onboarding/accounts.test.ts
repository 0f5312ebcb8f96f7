/**
 * `posture accounts add|list|verify|remove` against a local runtime on the shared moto server:
 * the member template deployed with CloudFormation into a member account, verify passing end to
 * end (canary through the member rule to the realtime queue), and failing on a missing role/rule.
 */
import { AttachRolePolicyCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CloudFormationClient, CreateStackCommand } from '@aws-sdk/client-cloudformation';
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateAccountCommand, CreateOrganizationCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXTRA_POLICY_NAME, extraActionsPolicy, renderCloudFormation } from '../../../src/accounts/member-template.ts';
import { MEMBER_TEMPLATE_KEY, verifyAccount, type OnboardingTarget } from '../../../src/accounts/onboarding.ts';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { accountsAdd, accountsList, accountsRemove, accountsVerify, type AccountsDeps } from '../../../src/cli/commands/accounts.ts';
import { startLocalRuntime, type LocalRuntime } from '../../../src/local/runtime.ts';
import { createMember } from '../../helpers/member.ts';
import { accountClients, accountCredentials, motoEndpoint, randomAccountId } from '../../helpers/moto.ts';

let rt: LocalRuntime;
let target: OnboardingTarget;
let lines: string[];
let otherRegions: string[];
const scans: string[][] = [];

function deps(): AccountsDeps {
  lines = [];
  return {
    target,
    endpoint: rt.endpoint,
    ledger: rt.deps.ledger,
    io: { out: (l) => lines.push(l), err: (l) => lines.push(l) },
    scan: async (ids) => {
      scans.push(ids);
      return rt.scan({ accountIds: ids });
    },
  };
}

beforeAll(async () => {
  rt = await startLocalRuntime({ endpoint: motoEndpoint(), credentials: await accountCredentials(randomAccountId()) });
  target = { kind: 'local', name: rt.endpoint, clients: rt.clients, securityAccountId: rt.securityAccountId, bucket: rt.infra.bucket, outputs: {}, accounts: rt.deps.accounts };
  const regions = (await rt.clients.get(EC2Client).send(new DescribeRegionsCommand({ AllRegions: true }))).Regions ?? [];
  // Members are scanned (and verified) in us-east-1 only: keeps the baseline scan short.
  otherRegions = regions.map((r) => r.RegionName!).filter((r) => r !== 'us-east-1');
}, 120_000);

afterAll(async () => {
  await rt?.close();
});

/** Deploys templates/cloudformation/member.yml into `accountId` with the emulator's CloudFormation. */
async function deployMemberStack(accountId: string, externalId: string): Promise<void> {
  const clients = await accountClients(accountId);
  await clients.get(CloudFormationClient).send(
    new CreateStackCommand({
      StackName: 'posture-member',
      TemplateBody: renderCloudFormation(),
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      Parameters: [
        { ParameterKey: 'SecurityAccountId', ParameterValue: target.securityAccountId },
        { ParameterKey: 'ExternalId', ParameterValue: externalId },
        { ParameterKey: 'CentralEventBusArn', ParameterValue: `arn:aws:events:us-east-1:${target.securityAccountId}:event-bus/posture-central` },
      ],
    }),
  );
  // moto's CloudFormation ignores ManagedPolicyArns and stores inline policies as a Python repr:
  // attach SecurityAudit and put the template's inline policy as AWS would have.
  const iam = clients.get(IAMClient);
  await iam.send(new AttachRolePolicyCommand({ RoleName: 'PostureAuditRole', PolicyArn: 'arn:aws:iam::aws:policy/SecurityAudit' }));
  await iam.send(new PutRolePolicyCommand({ RoleName: 'PostureAuditRole', PolicyName: EXTRA_POLICY_NAME, PolicyDocument: JSON.stringify(extraActionsPolicy()) }));
}

describe('posture accounts (local runtime)', () => {
  it('add rejects invalid input with one-line errors naming the field, storing nothing', async () => {
    const cases: [Parameters<typeof accountsAdd>[1], RegExp][] = [
      [{ id: '12345', name: 'x' }, /account 12345: accountId: must be a 12-digit AWS account ID/],
      [{ id: '123456789012', name: 'x', excludeRegions: ['mars-1'] }, /excludeRegions\.0: must be a region name/],
      [{ id: '123456789012', name: 'x', excludeTypes: ['AWS.Nope.Thing'] }, /excludeTypes: unknown resource type AWS\.Nope\.Thing/],
      [{ id: '123456789012', name: 'x', excludeResources: ['(unclosed'] }, /excludeResources\.0: must be a valid regular expression/],
      [{ id: '123456789012', name: 'x', externalId: 'has spaces' }, /externalId: allowed characters/],
      [{ id: '123456789012' }, /--name is required/],
      [{ name: 'x' }, /give exactly one of --id/],
    ];
    for (const [opts, message] of cases) {
      const err = await accountsAdd(deps(), { ...opts, scan: false }).then(
        () => undefined,
        (e: Error) => e,
      );
      expect(err?.message, JSON.stringify(opts)).toMatch(message);
      expect(err?.message).not.toContain('\n');
    }
    expect(await target.accounts.get('123456789012')).toBeUndefined();
  });

  it('against a stack: publishes to the member-templates bucket and warns when the account may not read it', async () => {
    const bucket = `posture-templates-${rt.securityAccountId}`;
    await rt.clients.get(S3Client).send(new CreateBucketCommand({ Bucket: bucket }));
    const admitted = randomAccountId();
    const stackTarget: OnboardingTarget = {
      ...target,
      kind: 'stack',
      name: 'posture-test',
      outputs: { CentralEventBusArn: `arn:aws:events:us-east-1:${rt.securityAccountId}:event-bus/posture-central`, MemberTemplatesBucketName: bucket, MemberTemplateReaders: admitted },
    };
    const run = async (accountId: string) => {
      const out: string[] = [];
      const err: string[] = [];
      expect(await accountsAdd({ target: stackTarget, io: { out: (l) => out.push(l), err: (l) => err.push(l) } }, { id: accountId, name: 'x', scan: false })).toBe(0);
      return { out, err };
    };
    const ok = await run(admitted);
    const link = new URL(ok.out.find((l) => l.includes('quickcreate'))!.trim());
    expect(new URLSearchParams(link.hash.split('?')[1]).get('templateURL')).toBe(`https://${bucket}.s3.us-east-1.amazonaws.com/${MEMBER_TEMPLATE_KEY}`);
    expect(ok.err).toEqual([]);
    const published = await rt.clients.get(S3Client).send(new GetObjectCommand({ Bucket: bucket, Key: MEMBER_TEMPLATE_KEY }));
    expect(await published.Body!.transformToString()).toBe(renderCloudFormation());

    const outsider = randomAccountId();
    const warned = await run(outsider);
    expect(warned.err.join('\n')).toMatch(new RegExp(`account ${outsider} cannot read the template URL: the stack admits ${admitted}; redeploy with -c organizationId`));
    await target.accounts.remove(admitted);
    await target.accounts.remove(outsider);
  });

  it('add stores the account, prints a generated ExternalId and the quick-create link, publishes the template and runs the baseline scan; verify passes end to end', async () => {
    const memberId = randomAccountId();
    expect(await accountsAdd(deps(), { id: memberId, name: 'payments-prod', excludeRegions: otherRegions, excludeResources: ['^arn:aws:s3:::tmp-'] })).toBe(0);
    const stored = (await target.accounts.get(memberId))!;
    expect(stored.name).toBe('payments-prod');
    expect(stored.externalId.length).toBeGreaterThanOrEqual(40);
    expect(lines.join('\n')).toContain(`ExternalId: ${stored.externalId}`);
    const link = new URL(lines.find((l) => l.includes('quickcreate'))!.trim());
    const params = new URLSearchParams(link.hash.split('?')[1]);
    expect(params.get('templateURL')).toContain(MEMBER_TEMPLATE_KEY);
    expect(params.get('param_SecurityAccountId')).toBe(target.securityAccountId);
    expect(params.get('param_ExternalId')).toBe(stored.externalId);
    expect(params.get('param_CentralEventBusArn')).toBe(`arn:aws:events:us-east-1:${target.securityAccountId}:event-bus/posture-central`);
    const published = await rt.clients.get(S3Client).send(new GetObjectCommand({ Bucket: target.bucket, Key: MEMBER_TEMPLATE_KEY }));
    expect(await published.Body!.transformToString()).toBe(renderCloudFormation());
    expect(scans.at(-1)).toEqual([memberId]);
    expect(lines.at(-1)).toMatch(new RegExp(`baseline scan done for ${memberId}: local-`));
    const scanId = lines.at(-1)!.split(': ').at(-1)!;
    const ledger = await rt.deps.ledger.forScan(scanId);
    expect(ledger.length).toBeGreaterThan(0);
    expect(new Set(ledger.map((e) => e.accountId))).toEqual(new Set([memberId]));

    // Adding it again is refused.
    await expect(accountsAdd(deps(), { id: memberId, name: 'again', scan: false })).rejects.toThrow(/already onboarded/);

    // Before the member template is deployed, verify fails (no role).
    const before = await accountsVerify(deps(), { id: memberId });
    expect(before.code).toBe(1);
    expect(before.checks[0]).toMatchObject({ name: 'role assumable', status: 'fail' });
    expect(before.checks[0]!.detail).toMatch(/does not exist/);

    await deployMemberStack(memberId, stored.externalId);
    const after = await accountsVerify(deps(), { id: memberId, canaryTimeoutMs: 15_000 });
    expect(after.checks.map((c) => [c.name, c.status]), JSON.stringify(after.checks)).toEqual([
      ['role assumable', 'pass'],
      ['ExternalId required', 'pass'],
      ['permissions', 'pass'],
      ['event rules us-east-1', 'pass'],
      ['canary us-east-1', 'pass'],
    ]);
    expect(after.checks.find((c) => c.name === 'permissions')!.detail).toMatch(/SimulatePrincipalPolicy is not available here.*checked the role's policies instead/);
    expect(after.code).toBe(0);
    expect(lines.at(-1)).toBe(`account ${memberId}: verified`);
    // The account's last scheduled scan (the baseline) from the ledger, and the parked messages.
    const okScopes = ledger.filter((e) => e.outcome === 'OK').length;
    expect(after.lastScan).toMatchObject({ scanId, scopes: ledger.length, ok: okScopes, notEvaluated: ledger.length - okScopes });
    expect(lines).toContain(`last scheduled scan of ${memberId}:`);
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^  scan ${scanId}  started \\S+  finished \\S+$`)));
    expect(lines).toContain(`  ${ledger.length} scope(s): ${okScopes} OK, ${ledger.length - okScopes} not evaluated`);
    expect(after.parked).toEqual([expect.objectContaining({ queue: 'Realtime/RealtimeDlq' }), expect.objectContaining({ queue: 'Alerts/DeliveryFailures' })]);
    expect(lines).toContainEqual(expect.stringMatching(/^parked messages \(whole stack\): Realtime\/RealtimeDlq \d+, Alerts\/DeliveryFailures \d+$/));

    // As on a deployed stack: the real-time path consumes the queue (here rt.pollRealtime, as
    // RealtimeRescan would) and records the canary on the account, which verify polls.
    let verifying = true;
    const consumer = (async () => {
      let canaries = 0;
      while (verifying) {
        canaries += (await rt.pollRealtime()).stats.canaries;
        await new Promise((r) => setTimeout(r, 200));
      }
      return canaries;
    })();
    const deployedStyle = await verifyAccount(target, stored, `arn:aws:events:us-east-1:${target.securityAccountId}:event-bus/posture-central`, {
      endpoint: rt.endpoint,
      regions: ['us-east-1'],
      canaryTimeoutMs: 20_000,
    }).finally(() => (verifying = false));
    expect(await consumer).toBe(1);
    expect(deployedStyle.at(-1)).toMatchObject({ name: 'canary us-east-1', status: 'pass' });
    expect(deployedStyle.at(-1)!.detail).toMatch(/was recorded by the real-time path/);
    const recorded = [...(await target.accounts.canaryArrivals(memberId)).values()];
    expect(recorded).toEqual([expect.objectContaining({ region: 'us-east-1' })]);
    // The canary attribute does not disturb the account itself.
    expect(await target.accounts.get(memberId)).toEqual(stored);
  }, 180_000);

  it('a canary from an account that is not onboarded is dropped and counted, and creates no account', async () => {
    const stranger = randomAccountId();
    const now = new Date().toISOString();
    const body = JSON.stringify({
      'detail-type': 'AWS API Call via CloudTrail',
      source: 'posture.canary',
      account: stranger,
      region: 'us-east-1',
      detail: { eventID: `posture-canary-${crypto.randomUUID()}`, eventName: 'CreateBucket', eventSource: 's3.amazonaws.com', eventTime: now, awsRegion: 'us-east-1', recipientAccountId: stranger, requestParameters: null, responseElements: null, posture: { canary: true } },
    });
    await rt.clients.get(SQSClient).send(new SendMessageCommand({ QueueUrl: rt.infra.queues.realtime, MessageBody: body }));
    const out = await rt.pollRealtime();
    expect(out.stats).toMatchObject({ canaries: 0, rescanned: 0, dropped: expect.objectContaining({ notOnboarded: 1 }) });
    expect(await target.accounts.get(stranger)).toBeUndefined();
    expect((await target.accounts.canaryArrivals(stranger)).size).toBe(0);
  });

  it('verify fails on a missing event rule and on missing permissions, and skips the canary', async () => {
    const member = await createMember(target.securityAccountId, { name: 'no-rules' });
    // createMember attaches SecurityAudit but not the registry's extra actions.
    expect(await accountsAdd(deps(), { id: member.account.accountId, name: 'no-rules', externalId: member.account.externalId, excludeRegions: otherRegions, scan: false })).toBe(0);
    const r = await accountsVerify(deps(), { id: member.account.accountId });
    expect(r.code).toBe(1);
    const byName = Object.fromEntries(r.checks.map((c) => [c.name, c]));
    expect(byName['role assumable']!.status).toBe('pass');
    expect(byName.permissions!.status).toBe('fail');
    expect(byName.permissions!.detail).toContain('amplify:ListResourcesForWebACL');
    expect(byName['event rules us-east-1']!.status).toBe('fail');
    expect(byName['event rules us-east-1']!.detail).toMatch(/posture-member-events-1 missing/);
    expect(byName.canary!.status).toBe('skip');
    expect(lines.at(-1)).toMatch(/check\(s\) failed/);
    // Added with --no-scan: no scan of it in the ledger yet.
    expect(r.lastScan).toBeNull();
    expect(lines).toContain('  no scheduled scan in the ledger yet');
  }, 60_000);

  it('list prints the accounts without their ExternalIds; remove deletes the record and says what stays', async () => {
    const id = randomAccountId();
    await accountsAdd(deps(), { id, name: 'to-remove', externalId: 'shared-secret-1', scan: false });
    await accountsList(deps(), {});
    expect(lines[0]).toMatch(/^ACCOUNT\tNAME/);
    expect(lines.some((l) => l.startsWith(`${id}\tto-remove\tyes`))).toBe(true);
    await accountsList(deps(), { json: true });
    const listed = JSON.parse(lines[0]!) as Record<string, unknown>[];
    expect(listed.find((a) => a.accountId === id)).toMatchObject({ name: 'to-remove' });
    expect(lines[0]).not.toContain('shared-secret-1');

    expect(await accountsRemove(deps(), { id })).toBe(0);
    expect(lines.join('\n')).toMatch(/stay until the next reconciliation/);
    expect(await target.accounts.get(id)).toBeUndefined();
    await expect(accountsRemove(deps(), { id })).rejects.toThrow(`account ${id}: not onboarded`);
    await expect(accountsVerify(deps(), { id })).rejects.toThrow(`account ${id}: not onboarded`);
  });

  it('add --from-organization adds every member account of the Organization, skipping the security account', async () => {
    const org = rt.clients.get(OrganizationsClient);
    await org.send(new CreateOrganizationCommand({ FeatureSet: 'ALL' }));
    const created: string[] = [];
    for (const name of ['org-a', 'org-b']) {
      const r = await org.send(new CreateAccountCommand({ AccountName: name, Email: `${name}@example.com` }));
      created.push(r.CreateAccountStatus!.AccountId!);
    }
    expect(await accountsAdd(deps(), { fromOrganization: true, excludeTypes: ['AWS.EC2.AMI'], scan: false })).toBe(0);
    for (const [i, id] of created.entries()) {
      const a = (await target.accounts.get(id))!;
      expect(a).toMatchObject({ name: ['org-a', 'org-b'][i], excludeTypes: ['AWS.EC2.AMI'] });
    }
    expect(await target.accounts.get(target.securityAccountId)).toBeUndefined();
    // Each account its own generated ExternalId.
    const ids = await Promise.all(created.map(async (id) => (await target.accounts.get(id))!.externalId));
    expect(new Set(ids).size).toBe(created.length);
    // Running it again skips what is already onboarded.
    expect(await accountsAdd(deps(), { fromOrganization: true, scan: false })).toBe(0);
    expect(lines.filter((l) => l.startsWith('skip '))).toHaveLength(created.length);
  });
});

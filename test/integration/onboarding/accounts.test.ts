/**
 * `posture accounts add|list|verify|remove` against a local runtime on the shared moto server:
 * the member template deployed with CloudFormation into a member account, verify passing end to
 * end (canary through the member rule to the realtime queue), and failing on a missing role/rule.
 */
import { AttachRolePolicyCommand, GetRoleCommand, IAMClient, PutRolePolicyCommand } from '@aws-sdk/client-iam';
import { CloudFormationClient, CreateStackCommand, DescribeStackResourceCommand } from '@aws-sdk/client-cloudformation';
import { DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateAccountCommand, CreateOrganizationCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import { CreateBucketCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { EXTRA_POLICY_NAME, extraActionsPolicy, renderCloudFormation } from '../../../src/onboarding/member-template.ts';
import { MEMBER_TEMPLATE_KEY, verifyAccount, type OnboardingTarget } from '../../../src/onboarding/onboarding.ts';
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

/**
 * Deploys templates/cloudformation/member.yml into `accountId` with the emulator's CloudFormation;
 * `link`: with the parameters of `posture accounts add`'s quick-create link, as the console would.
 */
async function deployMemberStack(accountId: string, externalId: string, link?: URLSearchParams, templateBody = renderCloudFormation()): Promise<void> {
  const clients = await accountClients(accountId);
  const parameters = link
    ? [...link.entries()].filter(([k]) => k.startsWith('param_')).map(([k, v]) => ({ ParameterKey: k.slice('param_'.length), ParameterValue: v }))
    : [
        { ParameterKey: 'SecurityAccountId', ParameterValue: target.securityAccountId },
        { ParameterKey: 'ExternalId', ParameterValue: externalId },
        { ParameterKey: 'CentralEventBusArn', ParameterValue: `arn:aws:events:us-east-1:${target.securityAccountId}:event-bus/posture-central` },
      ];
  const stack = await clients.get(CloudFormationClient).send(
    new CreateStackCommand({ StackName: 'posture-member', TemplateBody: templateBody, Capabilities: ['CAPABILITY_NAMED_IAM'], Parameters: parameters }),
  );
  // The role the template created, under the name its parameters gave it.
  const roleName = (await clients.get(CloudFormationClient).send(new DescribeStackResourceCommand({ StackName: stack.StackId, LogicalResourceId: 'AuditRole' }))).StackResourceDetail!
    .PhysicalResourceId!;
  // moto's CloudFormation ignores ManagedPolicyArns and stores inline policies as a Python repr:
  // attach SecurityAudit and put the template's inline policy as AWS would have.
  const iam = clients.get(IAMClient);
  await iam.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: 'arn:aws:iam::aws:policy/SecurityAudit' }));
  await iam.send(new PutRolePolicyCommand({ RoleName: roleName, PolicyName: EXTRA_POLICY_NAME, PolicyDocument: JSON.stringify(extraActionsPolicy()) }));
}

/** The role ARNs STS was asked to assume (every STSClient of this process), until restored. */
function watchAssumeRole(): { arns: string[]; restore: () => void } {
  const arns: string[] = [];
  const original = STSClient.prototype.send;
  const spy = vi.spyOn(STSClient.prototype, 'send').mockImplementation(function (this: STSClient, command: unknown, ...rest: unknown[]) {
    if (command instanceof AssumeRoleCommand) arns.push(command.input.RoleArn!);
    return (original as (...a: unknown[]) => unknown).call(this, command, ...rest);
  } as typeof original);
  return { arns, restore: () => spy.mockRestore() };
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

  it('against a stack: publishes to the member-templates bucket (role name: the stack\'s), warns when the account may not read it, takes only --role-name values the stack may assume', async () => {
    const bucket = `posture-templates-${rt.securityAccountId}`;
    await rt.clients.get(S3Client).send(new CreateBucketCommand({ Bucket: bucket }));
    const admitted = randomAccountId();
    const stackTarget: OnboardingTarget = {
      ...target,
      kind: 'stack',
      name: 'posture-test',
      outputs: {
        CentralEventBusArn: `arn:aws:events:us-east-1:${rt.securityAccountId}:event-bus/posture-central`,
        MemberTemplatesBucketName: bucket,
        MemberTemplateReaders: admitted,
        AuditRoleName: 'OrgSecurityAudit',
        AdditionalAuditRoleNames: 'TeamAudit',
      },
    };
    const run = async (accountId: string, roleName?: string) => {
      const out: string[] = [];
      const err: string[] = [];
      expect(await accountsAdd({ target: stackTarget, io: { out: (l) => out.push(l), err: (l) => err.push(l) } }, { id: accountId, name: 'x', roleName, scan: false })).toBe(0);
      const link = new URL(out.find((l) => l.includes('quickcreate'))!.trim());
      return { out, err, params: new URLSearchParams(link.hash.split('?')[1]) };
    };
    const ok = await run(admitted);
    expect(ok.params.get('templateURL')).toBe(`https://${bucket}.s3.us-east-1.amazonaws.com/${MEMBER_TEMPLATE_KEY}`);
    // An account without --role-name follows the stack's -c auditRoleName: the record names none.
    expect(ok.params.get('param_AuditRoleName')).toBe('OrgSecurityAudit');
    expect(ok.out).toContain(`  audit role: arn:aws:iam::${admitted}:role/OrgSecurityAudit   (the deployment's auditRoleName)`);
    expect((await target.accounts.get(admitted))!.roleName).toBeUndefined();
    expect(ok.err).toEqual([]);
    const published = await rt.clients.get(S3Client).send(new GetObjectCommand({ Bucket: bucket, Key: MEMBER_TEMPLATE_KEY }));
    const body = await published.Body!.transformToString();
    expect(body).toBe(renderCloudFormation({ auditRoleName: 'OrgSecurityAudit' }));
    expect((parse(body) as { Parameters: { AuditRoleName: { Default: string } } }).Parameters.AuditRoleName.Default).toBe('OrgSecurityAudit');

    const outsider = randomAccountId();
    const warned = await run(outsider, 'TeamAudit');
    expect(warned.err.join('\n')).toMatch(new RegExp(`account ${outsider} cannot read the template URL: the stack admits ${admitted}; redeploy with -c organizationId`));
    expect(warned.params.get('param_AuditRoleName')).toBe('TeamAudit');
    expect(warned.out.join('\n')).toContain('--role-name TeamAudit --format terraform');
    expect((await target.accounts.get(outsider))!.roleName).toBe('TeamAudit');

    // A name the stack's grant does not cover is refused before anything is stored.
    const refused = randomAccountId();
    await expect(accountsAdd({ target: stackTarget, io: { out: () => {}, err: () => {} } }, { id: refused, name: 'x', roleName: 'SomethingElse', scan: false })).rejects.toThrow(
      '--role-name SomethingElse: the stack posture-test may assume only OrgSecurityAudit, TeamAudit; redeploy it with -c additionalAuditRoleNames=SomethingElse first (npx cdk deploy)',
    );
    await expect(accountsAdd({ target: stackTarget, io: { out: () => {}, err: () => {} } }, { id: refused, name: 'x', roleName: 'team/Audit', scan: false })).rejects.toThrow(/may assume only/);
    expect(await target.accounts.get(refused)).toBeUndefined();
    await expect(
      accountsAdd({ target: { ...stackTarget, outputs: { ...stackTarget.outputs, AuditRoleName: '' } }, io: { out: () => {}, err: () => {} } }, { id: refused, name: 'x', scan: false }),
    ).rejects.toThrow('--stack posture-test: output AuditRoleName is missing');
    await target.accounts.remove(admitted);
    await target.accounts.remove(outsider);
  });

  it('add --role-name: the record keeps the name, the quick-create link creates that role, verify and the baseline scan assume it; an account without one is assumed through the deployment\'s name', async () => {
    const custom = randomAccountId();
    const plain = randomAccountId();
    const types = ['AWS.IAM.Role', 'AWS.S3.Bucket'];
    const excludeTypes = (await import('../../../src/resources/index.ts')).REGISTRY.map((t) => t.type).filter((t) => !types.includes(t));
    expect(await accountsAdd(deps(), { id: custom, name: 'own-role', roleName: 'TeamSecurityAudit', excludeRegions: otherRegions, excludeTypes, scan: false })).toBe(0);
    const customLines = lines;
    expect(await accountsAdd(deps(), { id: plain, name: 'default-role', excludeRegions: otherRegions, excludeTypes, scan: false })).toBe(0);
    const plainLines = lines;
    const stored = (await target.accounts.get(custom))!;
    expect(stored.roleName).toBe('TeamSecurityAudit');
    expect((await target.accounts.get(plain))!.roleName).toBeUndefined();
    expect(customLines).toContain(`  audit role: arn:aws:iam::${custom}:role/TeamSecurityAudit   (its own --role-name)`);
    expect(plainLines).toContain(`  audit role: arn:aws:iam::${plain}:role/PostureAuditRole   (the deployment's auditRoleName)`);
    const linkOf = (out: string[]) => new URLSearchParams(new URL(out.find((l) => l.includes('quickcreate'))!.trim()).hash.split('?')[1]);
    expect(linkOf(customLines).get('param_AuditRoleName')).toBe('TeamSecurityAudit');
    expect(linkOf(plainLines).get('param_AuditRoleName')).toBe('PostureAuditRole');
    expect(customLines.join('\n')).toContain('--role-name TeamSecurityAudit --format terraform');
    expect(plainLines.join('\n')).not.toContain('--role-name');

    // Each member deploys the published template with its link's parameters, as the console would.
    const published = await (await rt.clients.get(S3Client).send(new GetObjectCommand({ Bucket: target.bucket, Key: MEMBER_TEMPLATE_KEY }))).Body!.transformToString();
    await deployMemberStack(custom, stored.externalId, linkOf(customLines), published);
    await deployMemberStack(plain, (await target.accounts.get(plain))!.externalId, linkOf(plainLines), published);
    const iamOf = async (id: string) => (await accountClients(id)).get(IAMClient);
    await expect((await iamOf(custom)).send(new GetRoleCommand({ RoleName: 'TeamSecurityAudit' }))).resolves.toBeTruthy();
    await expect((await iamOf(custom)).send(new GetRoleCommand({ RoleName: 'PostureAuditRole' }))).rejects.toThrow();

    const watch = watchAssumeRole();
    try {
      const verified = await accountsVerify(deps(), { id: custom, canaryTimeoutMs: 15_000 });
      expect(verified.checks.find((c) => c.name === 'role assumable'), JSON.stringify(verified.checks)).toMatchObject({
        status: 'pass',
        detail: `arn:aws:iam::${custom}:role/TeamSecurityAudit with the ExternalId`,
      });
      expect(verified.code, JSON.stringify(verified.checks)).toBe(0);
      expect([...new Set(watch.arns)]).toEqual([`arn:aws:iam::${custom}:role/TeamSecurityAudit`]);
      watch.arns.length = 0;
      // Against a stack whose grant does not cover the account's name, verify says so first.
      const ungranted = await verifyAccount(target, stored, `arn:aws:events:us-east-1:${target.securityAccountId}:event-bus/posture-central`, {
        endpoint: rt.endpoint,
        regions: ['us-east-1'],
        skipCanary: 'not under test',
        auditRoleName: 'OrgSecurityAudit',
        assumableRoleNames: ['OrgSecurityAudit'],
      });
      expect(ungranted[0]).toEqual({
        name: 'role granted',
        status: 'fail',
        detail: 'the stack may assume only OrgSecurityAudit, not TeamSecurityAudit: redeploy it with -c additionalAuditRoleNames=TeamSecurityAudit',
      });
      watch.arns.length = 0;
      await accountsList(deps(), {});
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${custom} {2}own-role +.* {2}TeamSecurityAudit +-$`)));
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^${plain} {2}default-role +.* {2}PostureAuditRole \\(deployment\\) +-$`)));

      const scanId = await rt.scan({ accountIds: [custom, plain] });
      expect([...new Set(watch.arns)].sort()).toEqual([`arn:aws:iam::${custom}:role/TeamSecurityAudit`, `arn:aws:iam::${plain}:role/PostureAuditRole`].sort());
      const ledger = await rt.deps.ledger.forScan(scanId);
      for (const id of [custom, plain]) {
        const entries = ledger.filter((e) => e.accountId === id);
        expect(entries.map((e) => `${e.resourceType} ${e.outcome}`).sort(), id).toEqual(['AWS.IAM.Role OK', 'AWS.S3.Bucket OK']);
      }
      // What the scan read is each member's own: the role its template created.
      expect(await rt.deps.resources.idsOfType('AWS.IAM.Role')).toEqual(expect.arrayContaining([`arn:aws:iam::${custom}:role/TeamSecurityAudit`, `arn:aws:iam::${plain}:role/PostureAuditRole`]));
    } finally {
      watch.restore();
    }
  }, 180_000);

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
    // An account whose trail's log files are a second real-time source.
    const trailed = randomAccountId();
    await accountsAdd(deps(), { id: trailed, name: 'trailed', externalId: 'shared-secret-2', cloudtrailBucket: 'org-trail-logs', scan: false });
    expect(lines).toContain('  real time also from CloudTrail log files in s3://org-trail-logs (README: Real-time sources)');
    await expect(accountsAdd(deps(), { id: randomAccountId(), name: 'bad', cloudtrailBucket: 'Not_A_Bucket', scan: false })).rejects.toThrow(/cloudtrailBucket: must be an S3 bucket name/);
    await accountsList(deps(), {});
    // A table: a header, a rule under it, one aligned row per account.
    expect(lines[0]).toMatch(/^ACCOUNT {7}NAME +ENABLED {2}ADDED +EXCLUSIONS +AUDIT ROLE +CLOUDTRAIL BUCKET$/);
    expect(lines[1]).toMatch(/^-{12} {2}-+ {2}-{7} {2}-+ {2}-+ {2}-+ {2}-+$/);
    const row = lines.find((l) => l.startsWith(`${id}  `))!;
    expect(row).toMatch(/^\d{12} {2}to-remove +yes {6}\d{4}-\d\d-\d\dT[\d:.]+Z {2}- +PostureAuditRole \(deployment\) +-$/);
    expect(row.indexOf('PostureAuditRole')).toBe(lines[0]!.indexOf('AUDIT ROLE')); // columns line up
    const trailedRow = lines.find((l) => l.startsWith(`${trailed}  `))!;
    expect(trailedRow.indexOf('org-trail-logs')).toBe(lines[0]!.indexOf('CLOUDTRAIL BUCKET'));
    expect((await target.accounts.get(trailed))?.cloudtrailBucket).toBe('org-trail-logs');
    await accountsRemove(deps(), { id: trailed });
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

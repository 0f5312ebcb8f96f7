/**
 * Scanning through a fault-injecting proxy in front of moto: throttling is retried until the scan
 * is complete, a denied service is recorded as ACCESS_DENIED (not evaluated — never PASS, never
 * deleted) while the other services complete, and a hanging call is cut by the request timeout
 * and retried. The stores talk to moto directly; only member-account API calls cross the proxy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { RoleAssumer } from '../../../src/accounts/credentials.ts';
import { DEFAULT_AUDIT_ROLE_NAME } from '../../../src/accounts/account.ts';
import { collectFindings, notEvaluated } from '../../../src/compliance/findings.ts';
import { renderReport } from '../../../src/cli/report/report-html.ts';
import { startLocalRuntime, type LocalRuntime } from '../../../src/local/runtime.ts';
import { FOUNDATION_TYPES } from '../../helpers/foundation.ts';
import { planScan } from '../../../src/scan/plan.ts';
import { scanBatch } from '../../../src/scan/scan-scope.ts';
import type { ScanDeps } from '../../../src/scan/deps.ts';
import { startFaultProxy, type FaultProxy } from '../../helpers/fault-proxy.ts';
import { accountCredentials, motoEndpoint, randomAccountId } from '../../helpers/moto.ts';
import { createMember, type Member } from '../../helpers/member.ts';

let rt: LocalRuntime;
let proxy: FaultProxy;
let member: Member;
let deps: ScanDeps;
const SGS = 12;
const USERS = 5;
const BUCKETS = 4;

beforeAll(async () => {
  const securityAccountId = randomAccountId();
  rt = await startLocalRuntime({ endpoint: motoEndpoint(), credentials: await accountCredentials(securityAccountId) });
  member = await createMember(securityAccountId);
  const { DescribeRegionsCommand } = await import('@aws-sdk/client-ec2');
  const regions = (await rt.clients.get(EC2Client).send(new DescribeRegionsCommand({ AllRegions: true }))).Regions!.map((r) => r.RegionName!);
  member.account.excludeRegions = regions.filter((r) => r !== 'us-east-1' && !r.startsWith('cn-') && !r.startsWith('us-gov-'));
  await rt.deps.accounts.put(member.account);

  const ec2 = member.clients.get(EC2Client);
  for (let i = 0; i < SGS; i++) {
    const { GroupId } = await ec2.send(new CreateSecurityGroupCommand({ GroupName: `fault-${i}`, Description: 'fault test' }));
    if (i === 0) {
      await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    }
  }
  for (let i = 0; i < USERS; i++) await member.clients.get(IAMClient).send(new CreateUserCommand({ UserName: `fault-user-${i}` }));
  for (let i = 0; i < BUCKETS; i++) await member.clients.get(S3Client).send(new CreateBucketCommand({ Bucket: `fault-${i}-${member.account.accountId}` }));

  proxy = await startFaultProxy(motoEndpoint());
  deps = {
    ...rt.deps,
    // The fault handling is under test, not the type list: the four foundation types keep it fast.
    registry: FOUNDATION_TYPES,
    access: new RoleAssumer({
      base: rt.clients,
      partition: 'aws',
      defaultRoleName: DEFAULT_AUDIT_ROLE_NAME,
      endpoint: proxy.endpoint,
      // Standard retries: the adaptive limiter answers throttles by slowing to its floor rate, which
      // is right against AWS (throttling follows request rate) but makes these random,
      // rate-independent injected throttles a test of patience rather than of completeness.
      clientOptions: { requestTimeoutMs: 1500, maxAttempts: 12, retryMode: 'standard' },
    }),
  };
}, 120_000);

afterAll(async () => {
  await proxy?.close();
  await rt?.close();
});

async function scan(scanId: string): Promise<void> {
  const plan = await planScan(deps, scanId, [member.account.accountId]);
  await scanBatch(deps, { scanId, scopes: plan.scopes }, { deadline: Number.POSITIVE_INFINITY });
}

const stored = async () => (await rt.deps.resources.all()).filter((r) => r.accountId === member.account.accountId && !r.deleted);

describe('scanning through faults', () => {
  it('completes and stores every resource with 30 % of calls throttled', async () => {
    proxy.rules.splice(0, proxy.rules.length, { kind: 'throttle', probability: 0.3 });
    await scan('throttled');
    expect(proxy.stats.injected.throttle).toBeGreaterThan(10);
    const ledger = (await rt.deps.ledger.forScan('throttled')).filter((e) => e.resourceType !== '*');
    expect(ledger.map((e) => `${e.resourceType}:${e.outcome}`).sort()).toEqual([
      'AWS.EC2.SecurityGroup:OK',
      'AWS.IAM.User:OK',
      'AWS.PasswordPolicy:OK',
      'AWS.S3.Bucket:OK',
    ]);
    const byType = (t: string) => ledger.find((e) => e.resourceType === t)!.resourceCount;
    expect(byType('AWS.EC2.SecurityGroup')).toBe(SGS + 1); // + the default group
    expect(byType('AWS.IAM.User')).toBe(USERS);
    expect(byType('AWS.S3.Bucket')).toBe(BUCKETS);
    expect((await stored()).length).toBe(SGS + 1 + USERS + BUCKETS + 1);
  }, 120_000);

  it('records a denied service as ACCESS_DENIED, keeps its resources, and completes the others', async () => {
    proxy.rules.splice(0, proxy.rules.length, { kind: 'deny', service: 'iam' });
    const before = await stored();
    await scan('denied');
    const ledger = (await rt.deps.ledger.forScan('denied')).filter((e) => e.resourceType !== '*');
    const outcome = Object.fromEntries(ledger.map((e) => [e.resourceType, e.outcome]));
    expect(outcome).toEqual({
      'AWS.EC2.SecurityGroup': 'OK',
      'AWS.S3.Bucket': 'OK',
      'AWS.IAM.User': 'ACCESS_DENIED',
      'AWS.PasswordPolicy': 'ACCESS_DENIED',
    });
    expect(ledger.find((e) => e.resourceType === 'AWS.IAM.User')?.message).toMatch(/^AccessDenied: /);
    // Nothing of the denied scopes was tombstoned: unreadable is not deleted.
    expect((await stored()).length).toBe(before.length);

    const skipped = await notEvaluated(rt.deps, 'denied');
    expect(skipped.map((e) => e.resourceType).sort()).toEqual(['AWS.IAM.User', 'AWS.PasswordPolicy']);
    const html = renderReport({ title: 't', generatedAt: new Date(), findings: await collectFindings(rt.deps, [member.account.accountId]), notEvaluated: skipped });
    expect(html).toContain('Scopes not evaluated (2)');
    // Grouped per outcome, account and region: both denied global scopes in one row.
    expect(html).toMatch(/<td class="nw">ACCESS_DENIED<\/td><td class="nw">\d{12}<\/td><td class="nw">global<\/td><td class="num">2<\/td><td class="types"><code>AWS\.IAM\.User<\/code>, <code>AWS\.PasswordPolicy<\/code><\/td>/);
  }, 120_000);

  it('cuts a hanging call with the request timeout and retries it', async () => {
    proxy.rules.splice(0, proxy.rules.length, { kind: 'hang', service: 'ec2', times: 1 });
    const started = Date.now();
    await scan('hang');
    expect(proxy.stats.injected.hang).toBe(1);
    const sg = (await rt.deps.ledger.forScan('hang')).find((e) => e.resourceType === 'AWS.EC2.SecurityGroup');
    expect(sg).toMatchObject({ outcome: 'OK', resourceCount: SGS + 1 });
    expect(Date.now() - started).toBeGreaterThan(1400);
  }, 120_000);
});

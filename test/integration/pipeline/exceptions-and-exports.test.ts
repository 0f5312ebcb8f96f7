/**
 * Exceptions through the real ingest path (moto + the Python engine and built-in policies): a
 * matching, unexpired exception suppresses the FAIL with no alert; once expired, the next scan
 * re-opens it and the alert opens on that transition. Then findings with freshness, `--stale`,
 * the exports (ASFF imported into moto's Security Hub, twice, without duplicates) and resources.
 * Last, `posture exceptions add|remove` take effect at once on the stored compliance (no rescan):
 * an unknown policy is refused with close matches, the covered FAIL is suppressed and its alert
 * resolved, and removing the exception re-opens it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, DescribeRegionsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetFindingsCommand, SecurityHubClient, type AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { parse } from 'yaml';
import type { AlertPayload } from '../../../src/alerts/alert-payload.ts';
import { asTestEntries, listResources } from '../../../src/cli/commands/resources.ts';
import { FindingsUsageError, runFindings, type FindingsOptions } from '../../../src/cli/commands/findings.ts';
import { runExceptionsAdd, runExceptionsRemove } from '../../../src/cli/commands/exceptions.ts';
import { toAsffList, findingUid } from '../../../src/compliance/finding-formats.ts';
import { collectFindings, staleScopes, type Finding } from '../../../src/compliance/findings.ts';
import { importToSecurityHub } from '../../../src/cli/securityhub-export.ts';
import type { Target } from '../../../src/cli/target.ts';
import type { Clock } from '../../../src/core/types.ts';
import { startLocalRuntime, type LocalRuntime } from '../../../src/local/runtime.ts';
import type { ExceptionStore } from '../../../src/store/exception-store.ts';
import type { ExceptionSet } from '../../../src/compliance/exceptions.ts';
import { FOUNDATION_TYPES } from '../../helpers/foundation.ts';
import { accountCredentials, motoEndpoint, randomAccountId } from '../../helpers/moto.ts';
import { createMember, type Member } from '../../helpers/member.ts';
import { localTarget } from '../../helpers/local-target.ts';

const SSH = 'AWS.EC2.SecurityGroup.SSHOpenToWorld';
const DAY = 86_400_000;
let rt: LocalRuntime;
let member: Member;
let store: ExceptionStore;
let target: Target;
let sshArn: string;
let otherArn: string;
const alerts: AlertPayload[] = [];
let loads = 0;
const realClock: Clock = { now: () => new Date() };
const at = (offsetMs: number): Clock => ({ now: () => new Date(Date.now() + offsetMs) });

beforeAll(async () => {
  const securityAccountId = randomAccountId();
  rt = await startLocalRuntime({ endpoint: motoEndpoint(), credentials: await accountCredentials(securityAccountId), onAlert: (a) => alerts.push(a) });
  rt.deps.registry = FOUNDATION_TYPES;
  store = rt.deps.exceptions as ExceptionStore;
  // Counts the loads: exceptions are read once per batch, not once per resource.
  rt.deps.exceptions = {
    load: async (): Promise<ExceptionSet> => {
      loads++;
      return store.load();
    },
  };
  member = await createMember(securityAccountId);
  const regions = (await rt.clients.get(EC2Client).send(new DescribeRegionsCommand({ AllRegions: true }))).Regions!.map((r) => r.RegionName!);
  member.account.excludeRegions = regions.filter((r) => r !== 'us-east-1' && !r.startsWith('cn-') && !r.startsWith('us-gov-'));
  await rt.deps.accounts.put(member.account);
  const ec2 = member.clients.get(EC2Client);
  const open = async (name: string) => {
    const id = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: name, Description: name }))).GroupId!;
    await ec2.send(new AuthorizeSecurityGroupIngressCommand({ GroupId: id, IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0' }] }] }));
    return `arn:aws:ec2:us-east-1:${member.account.accountId}:security-group/${id}`;
  };
  sshArn = await open('jump-host');
  otherArn = await open('other-ssh');
  target = localTarget(rt, securityAccountId, { exceptions: store });
}, 120_000);

afterAll(async () => {
  await rt?.close();
});

const opened = (resourceId: string) => alerts.filter((a) => a.kind === 'opened' && a.resourceId === resourceId && a.policyId === SSH);

describe('exceptions through ingest', () => {
  let exceptionId: string;

  it('suppresses a matching FAIL with no alert, naming the exception; others still alert', async () => {
    // A glob over the group ID, in any account: matches the jump host only.
    const pattern = sshArn.replace(member.account.accountId, '*').replace(/sg-([0-9a-f]{4})[0-9a-f]+$/, 'sg-$1*');
    expect(otherArn).not.toMatch(new RegExp(`^${pattern.replace(/[.]/g, '\\.').replace(/\*/g, '.*')}$`));
    exceptionId = (await store.add({ policyId: SSH, resourcePattern: pattern, reason: 'jump host', owner: 'netops', expires: new Date(Date.now() + DAY).toISOString().slice(0, 10) }, new Date())).exceptionId;
    expect((await store.list()).map((x) => x.exceptionId)).toEqual([exceptionId]);

    loads = 0;
    await rt.scan({ accountIds: [member.account.accountId] });
    expect(loads).toBe(1); // one batch of scopes, many resources

    const item = (await rt.deps.compliance.forResource(sshArn)).get(SSH)!;
    expect(item).toMatchObject({ status: 'FAIL', suppressed: true, suppressedBy: exceptionId });
    expect(item.alertKey).toBeUndefined();
    expect(opened(sshArn)).toHaveLength(0);
    expect(opened(otherArn)).toHaveLength(1);
    expect((await rt.deps.compliance.forResource(otherArn)).get(SSH)).toMatchObject({ suppressed: false, suppressedBy: null });

    const f = (await collectFindings(rt.deps)).find((x) => x.resourceId === sshArn && x.policyId === SSH)!;
    expect(f).toMatchObject({ suppressed: true, suppressedBy: exceptionId, verifiedBy: 'scheduled' });
  });

  it('re-opens the finding once the exception has expired: the next scan alerts on the transition', async () => {
    rt.deps.clock = at(2 * DAY);
    try {
      await rt.scan({ accountIds: [member.account.accountId] });
    } finally {
      rt.deps.clock = realClock;
    }
    const item = (await rt.deps.compliance.forResource(sshArn)).get(SSH)!;
    expect(item).toMatchObject({ status: 'FAIL', suppressed: false, suppressedBy: null });
    expect(item.alertKey).toBeDefined();
    expect(opened(sshArn)).toHaveLength(1);
    expect(opened(otherArn)).toHaveLength(1); // still open from before: no second alert
    expect(await store.remove(exceptionId)).toBe(true);
    expect(await store.remove(exceptionId)).toBe(false);
  });
});

describe('exceptions on the real-time path', () => {
  it('applies to a realtime rescan, loaded once for the whole batch', async () => {
    const groupId = otherArn.split('/').pop()!;
    const e = await store.add({ policyId: SSH, resourcePattern: otherArn, reason: 'lab', owner: 'netops', expires: new Date(Date.now() + DAY).toISOString().slice(0, 10) }, new Date());
    const event = () =>
      JSON.stringify({
        'detail-type': 'AWS API Call via CloudTrail',
        source: 'aws.ec2',
        account: member.account.accountId,
        region: 'us-east-1',
        detail: {
          eventID: crypto.randomUUID(),
          eventName: 'AuthorizeSecurityGroupIngress',
          eventTime: new Date().toISOString(),
          eventSource: 'ec2.amazonaws.com',
          awsRegion: 'us-east-1',
          recipientAccountId: member.account.accountId,
          requestParameters: { groupId },
        },
      });
    const sqs = rt.clients.get(SQSClient);
    for (const body of [event(), event(), event()]) await sqs.send(new SendMessageCommand({ QueueUrl: rt.infra.queues.realtime, MessageBody: body }));
    loads = 0;
    const out = await rt.pollRealtime();
    expect(out.stats.received).toBe(3);
    expect(loads).toBe(1);
    const item = (await rt.deps.compliance.forResource(otherArn)).get(SSH)!;
    expect(item).toMatchObject({ status: 'FAIL', suppressed: true, suppressedBy: e.exceptionId, trigger: 'realtime:AuthorizeSecurityGroupIngress' });
    expect(item.alertKey).toBeUndefined(); // the open alert resolved
    expect(alerts.some((a) => a.kind === 'resolved' && a.resourceId === otherArn)).toBe(true);
    await store.remove(e.exceptionId);
  });
});

describe('findings, freshness and exports', () => {
  const run = (opts: Partial<FindingsOptions>, now?: Date) => runFindings(target, { format: 'table', ...opts }, now);

  it('shows when each resource was last verified and by what; --stale lists scopes older than 36 hours', async () => {
    const findings = await collectFindings(rt.deps);
    expect(findings.length).toBeGreaterThan(3);
    for (const f of findings) {
      expect(f.lastVerified).not.toBeNull();
      expect(f.verifiedBy).toBe('scheduled');
    }
    expect((await staleScopes(rt.deps, new Date())).length).toBe(0);
    const later = await staleScopes(rt.deps, new Date(Date.now() + 5 * DAY));
    expect(later.map((s) => s.scope).sort()).toEqual([...new Set(findings.map((f) => `${f.accountId}#${f.region}#${f.resourceType}`))].sort());
    expect(later[0]).toMatchObject({ accountId: member.account.accountId, verifiedBy: 'scheduled' });
    const printed = await run({ stale: true }, new Date(Date.now() + 5 * DAY));
    expect(printed.out).toMatch(/^\d+ scope\(s\) not verified in the last 36 hours\nACCOUNT/);
    expect((await run({ stale: true, format: 'json' })).out.trim()).toBe('[]');
  });

  it('filters and prints every format', async () => {
    const json = JSON.parse((await run({ format: 'json', policies: [SSH], status: ['FAIL', 'SUPPRESSED'] })).out) as Finding[];
    expect(json.map((f) => f.resourceId).sort()).toEqual([otherArn, sshArn].sort());
    expect((await run({ format: 'csv', policies: [SSH] })).out.split('\r\n')[0]).toMatch(/^accountId,region,resourceType,resourceId,policyId,/);
    const ocsf = (await run({ format: 'ocsf', minSeverity: 'high' })).out.trim().split('\n').map((l) => JSON.parse(l) as { class_uid: number; severity_id: number });
    expect(ocsf.length).toBeGreaterThan(0);
    expect(ocsf.every((e) => e.class_uid === 2003 && e.severity_id >= 4)).toBe(true);
    const table = (await run({ policies: [SSH] })).out;
    expect(table).toContain('LAST VERIFIED');
    await expect(run({ format: 'csv', import: true })).rejects.toThrow(/^--import sends ASFF to Security Hub: use it with --format asff$/);
    // A policy ID the active pack lacks is a typo: a usage error naming the closest ID, never an empty table.
    await expect(run({ policies: [`${SSH}z`] })).rejects.toThrow(
      new FindingsUsageError(`--policies: unknown policy '${SSH}z' in the active pack (the built-in pack); did you mean ${SSH}?`),
    );
  });

  it('imports ASFF into Security Hub in batches of 100; a re-export updates instead of duplicating', async () => {
    const hub = rt.clients.get(SecurityHubClient);
    const all = async () => {
      const out: AwsSecurityFinding[] = [];
      let token: string | undefined;
      do {
        const r = await hub.send(new GetFindingsCommand({ MaxResults: 100, NextToken: token }));
        out.push(...(r.Findings ?? []));
        token = r.NextToken || undefined;
      } while (token);
      return out;
    };
    const count = async () => (await all()).length;
    const before = await count();
    const r = await run({ format: 'asff', import: true });
    const findings = await collectFindings(rt.deps);
    expect(r.out).toMatch(new RegExp(`^imported ${findings.length} of ${findings.length} findings into Security Hub \\(us-east-1\\) in 1 batch\\(es\\)`));
    expect(r.out).toContain(`note: ${findings.length} finding(s) name other accounts;`);
    expect(await count()).toBe(before + findings.length);
    await run({ format: 'asff', import: true });
    expect(await count()).toBe(before + findings.length);

    const got = (await all()).find((f) => f.Id === `posture/${findingUid(SSH, sshArn)}`)!;
    expect(got).toMatchObject({ SchemaVersion: '2018-10-08', AwsAccountId: member.account.accountId, Compliance: { Status: 'FAILED' } });
    expect(got.ProductArn).toBe(`arn:aws:securityhub:us-east-1:${target.securityAccountId}:product/${target.securityAccountId}/default`);
    // A verdict a scan changed keeps its window: in ProductFields and, as the cause, in the Note Security Hub stores.
    const windowed = findings.find((f) => f.status === 'FAIL' && !f.suppressed && f.provenance?.window)!;
    const w = windowed.provenance!.window!;
    const hubCopy = (await all()).find((f) => f.Id === `posture/${findingUid(windowed.policyId, windowed.resourceId)}`)!;
    expect(hubCopy.ProductFields?.['posture/changeWindow']).toBe(`${w.from ?? '..'}/${w.to}`);
    expect(hubCopy.Note).toMatchObject({ Text: windowed.cause, UpdatedBy: 'posture' });
    expect(windowed.cause).toMatch(/^found by a scan/);

    // 250 findings: three calls; the same 250 again: still 250 more in the hub, not 500.
    const many = toAsffList(
      Array.from({ length: 250 }, (_, i) => ({ ...findings[0]!, resourceId: `arn:aws:s3:::bulk-${i}` })),
      { partition: 'aws', region: 'us-east-1', securityAccountId: target.securityAccountId },
    );
    expect(await importToSecurityHub(rt.clients, many)).toEqual({ imported: 250, batches: 3, failed: [] });
    await importToSecurityHub(rt.clients, many.map((f) => ({ ...f, Compliance: { Status: 'PASSED' }, Workflow: { Status: 'RESOLVED' }, RecordState: 'ARCHIVED' as const })));
    const after = await all();
    expect(after.length).toBe(before + findings.length + 250);
    expect(after.find((f) => f.Id === many[0]!.Id)).toMatchObject({ RecordState: 'ARCHIVED', Workflow: { Status: 'RESOLVED' } });
  });

  it('lists stored resources and prints a Tests entry from a real one', async () => {
    const sgs = await listResources(target, { types: ['AWS.EC2.SecurityGroup'], accounts: [member.account.accountId], regions: ['us-east-1'] });
    expect(sgs.map((r) => r.resourceId)).toEqual(expect.arrayContaining([sshArn, otherArn]));
    expect(sgs.every((r) => r.resourceType === 'AWS.EC2.SecurityGroup')).toBe(true);
    expect(await listResources(target, { regions: ['eu-west-1'] })).toEqual([]);

    const resource = (await rt.deps.resources.get(sshArn))!;
    const text = asTestEntries(resource, await rt.deps.compliance.forResource(sshArn), 'Jump host open to SSH');
    const sections = text.split(/^(# \S+ \(\w+.*\n)/m).filter((s) => s.trim());
    const byPolicy = new Map<string, { ExpectedResult: boolean; Resource: unknown }>();
    for (let i = 0; i < sections.length; i += 2) {
      const policy = /^# (\S+)/.exec(sections[i]!)![1]!;
      byPolicy.set(policy, (parse(sections[i + 1]!) as { ExpectedResult: boolean; Resource: unknown }[])[0]!);
    }
    expect(byPolicy.get(SSH)).toMatchObject({ ExpectedResult: false, Resource: resource.attributes });
    expect([...byPolicy.values()].some((t) => t.ExpectedResult)).toBe(true); // e.g. RDP is closed
  });
});

describe('posture exceptions add|remove take effect at once', () => {
  const run = async (f: (io: { out: (l: string) => void; err: (l: string) => void }) => Promise<number>) => {
    const r = { code: -1, out: [] as string[], err: [] as string[] };
    r.code = await f({ out: (l) => r.out.push(l), err: (l) => r.err.push(l) });
    return r;
  };
  const ports = () => ({ onAlerts: rt.deps.onAlerts });
  const tomorrow = () => new Date(Date.now() + DAY).toISOString().slice(0, 10);
  let exceptionId: string;

  it('refuses a policy the active pack does not have, with one line naming it and the close matches', async () => {
    const before = await store.list();
    const r = await run((io) => runExceptionsAdd(target, { policyId: `${SSH}s`, resourcePattern: sshArn, reason: 'r', owner: 'o', expires: tomorrow() }, io, ports()));
    expect(r.code).toBe(2);
    expect(r.err).toEqual([`posture exceptions add: policy: '${SSH}s' is not in the active pack (the built-in pack); did you mean ${SSH}, AWS.EC2.SecurityGroup.RDPOpenToWorld, AWS.EC2.SecurityGroup.AllPortsOpenToWorld?`]);
    expect(r.out).toEqual([]);
    expect(await store.list()).toEqual(before);
  });

  it('suppresses the stored failing verdict immediately: item suppressed, alert resolved, count printed', async () => {
    const item = (await rt.deps.compliance.forResource(sshArn)).get(SSH)!;
    expect(item).toMatchObject({ status: 'FAIL', suppressed: false });
    const alertKey = item.alertKey!;
    expect(alertKey).toBeDefined();
    alerts.length = 0;

    const r = await run((io) => runExceptionsAdd(target, { policyId: SSH, resourcePattern: sshArn, reason: 'jump host', owner: 'netops', expires: tomorrow() }, io, ports()));
    expect(r.err).toEqual([]);
    expect(r.code).toBe(0);
    exceptionId = /^added (exc-[0-9a-f]+): /.exec(r.out[0]!)![1]!;
    expect(r.out).toEqual([`added ${exceptionId}: ${SSH} on ${sshArn} until ${tomorrow()} (owner netops)`, 'covers 1 failing finding now: suppressed (1 alert resolved)']);

    const now = (await rt.deps.compliance.forResource(sshArn)).get(SSH)!;
    expect(now).toMatchObject({ status: 'FAIL', suppressed: true, suppressedBy: exceptionId, trigger: `exception:${exceptionId}`, observedAt: item.observedAt });
    expect(now.alertKey).toBeUndefined();
    const resolved = (await rt.deps.compliance.alerts('RESOLVED')).filter((a) => a.alertKey === alertKey && a.openedAt === item.alertOpenedAt);
    expect(resolved.map((a) => a.resolvedBy)).toEqual(['suppressed']);
    expect(alerts.filter((a) => a.kind === 'resolved').map((a) => [a.policyId, a.resourceId])).toEqual([[SSH, sshArn]]);
    // Only the matching resource: the other open group still alerts.
    expect((await rt.deps.compliance.forResource(otherArn)).get(SSH)?.suppressedBy).not.toBe(exceptionId);
  });

  it('remove re-opens it at once: unsuppressed, one alert opened', async () => {
    alerts.length = 0;
    const r = await run((io) => runExceptionsRemove(target, exceptionId, io, ports()));
    expect(r).toEqual({ code: 0, out: [`removed ${exceptionId}`, 're-opened 1 failing finding (1 alert opened)'], err: [] });
    const item = (await rt.deps.compliance.forResource(sshArn)).get(SSH)!;
    expect(item).toMatchObject({ status: 'FAIL', suppressed: false, suppressedBy: null, trigger: `exception:${exceptionId}` });
    expect(item.alertKey).toBe(`${SSH}#${sshArn}`);
    expect(opened(sshArn)).toHaveLength(1);
    const again = await run((io) => runExceptionsRemove(target, exceptionId, io, ports()));
    expect(again).toEqual({ code: 1, out: [], err: [`posture exceptions remove: no exception ${exceptionId}`] });
  });
});

/**
 * The resource history (src/store/history-store.ts), written by the resource and compliance stores
 * in the transactions of the writes it describes: a version per changed write and per tombstone,
 * none for an unchanged or stale write, a structural diff against the state replaced, the full
 * attributes (also when compressed or offloaded), the cause (actors, or a scan's window), transitions
 * that move a verdict or an alert, and the retention as DynamoDB TTL. On moto and the in-memory store.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { ResourceStore } from '../../../src/store/resource-store.ts';
import { ComplianceStore } from '../../../src/store/compliance-store.ts';
import { HistoryStore, type FindingRecord, type VersionRecord } from '../../../src/store/history-store.ts';
import { documentClient } from '../../../src/store/dynamo.ts';
import { ensureTables } from '../../../src/local/bootstrap.ts';
import type { Resource } from '../../../src/core/resource.ts';
import type { Actor } from '../../../src/core/provenance.ts';
import type { PolicyResult } from '../../../src/core/types.ts';
import { STORE_BACKENDS } from '../../helpers/store-backends.ts';
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

const ACCOUNT = '111111111111';
const SCOPE = `${ACCOUNT}#us-east-1#AWS.EC2.SecurityGroup`;
const at = (s: number) => new Date(Date.UTC(2026, 11, 5, 12, 0, s));

const group = (id: string, permissions: unknown[], extra: Record<string, unknown> = {}): Resource => ({
  ResourceId: `arn:aws:ec2:us-east-1:${ACCOUNT}:security-group/${id}`,
  ResourceType: 'AWS.EC2.SecurityGroup',
  TimeCreated: null,
  AccountId: ACCOUNT,
  Region: 'us-east-1',
  Arn: `arn:aws:ec2:us-east-1:${ACCOUNT}:security-group/${id}`,
  Id: id,
  Name: 'bastion',
  Tags: null,
  IpPermissions: permissions,
  ...extra,
});

const ssh = { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '10.0.0.0/8' }] };
const sshWorld = { IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'temporary debugging' }] };

const actor = (eventID: string, seconds: number, ip = '203.0.113.7'): Actor => ({
  eventID,
  eventName: 'AuthorizeSecurityGroupIngress',
  eventSource: 'ec2.amazonaws.com',
  eventTime: at(seconds).toISOString(),
  awsRegion: 'us-east-1',
  via: 'eventbridge',
  identityType: 'AssumedRole',
  arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/deploy-pipeline`,
  principalId: 'AROAEXAMPLE:deploy-pipeline',
  accountId: ACCOUNT,
  sessionIssuer: `arn:aws:iam::${ACCOUNT}:role/Admin`,
  invokedBy: null,
  sourceIPAddress: ip,
  userAgent: 'aws-cli/2.15.0',
});

const result = (resourceId: string, status: PolicyResult['status']): PolicyResult => ({
  policyId: 'AWS.EC2.SecurityGroup.NoSSHFromWorld',
  resourceId,
  resourceType: 'AWS.EC2.SecurityGroup',
  status,
  errorMessage: null,
  severity: 'High',
  title: 'SSH open to 0.0.0.0/0',
  dedup: null,
  suppressed: false,
});

describe.each(STORE_BACKENDS)('resource history on $name', (backend) => {
  let doc: DynamoDBDocumentClient;
  let history: HistoryStore;
  let resources: ResourceStore;
  let compliance: ComplianceStore;
  let historyTable: string;

  beforeAll(async () => {
    const clients = await backend.clients();
    const tables = await ensureTables(clients, 'hist');
    doc = documentClient(clients);
    const blobs = await backend.blobs(clients, `hist-blobs-${Date.now()}`);
    historyTable = tables.ResourceHistory;
    history = new HistoryStore(doc, tables.ResourceHistory, 30, blobs);
    resources = new ResourceStore(doc, tables.Resources, blobs, history);
    compliance = new ComplianceStore(doc, { compliance: tables.Compliance, alerts: tables.Alerts }, history);
  });

  it('records a version per change — created, changed with its diff, deleted, recreated — and none for an unchanged or stale write', async () => {
    const g = group('sg-1', [ssh]);
    expect(await resources.putIfChanged(g, SCOPE, at(1), undefined, at(0), { trigger: 'scheduled', since: '2026-12-04T05:00:00.000Z' })).toBe('written');
    expect(await resources.putIfChanged(g, SCOPE, at(2), undefined, at(2), { trigger: 'scheduled' })).toBe('unchanged');
    const who = { actors: [actor('e-1', 10)] };
    expect(await resources.putIfChanged(group('sg-1', [ssh, sshWorld]), SCOPE, at(12), undefined, at(11), { trigger: 'realtime:AuthorizeSecurityGroupIngress', provenance: who })).toBe('written');
    // A slow scan page read before the real-time rescan: stale, and no version.
    expect(await resources.putIfChanged(group('sg-1', []), SCOPE, at(13), undefined, at(5), { trigger: 'scheduled' })).toBe('stale');
    expect(await resources.tombstone(g.ResourceId, at(21), at(20), { trigger: 'scheduled', since: at(15).toISOString() })).toBe('written');
    expect(await resources.tombstone(g.ResourceId, at(22), at(22))).toBe('unchanged');
    expect(await resources.putIfChanged(g, SCOPE, at(31), undefined, at(30), { trigger: 'scheduled' })).toBe('written');

    const timeline = (await history.forResource(g.ResourceId, { withAttributes: true })) as VersionRecord[];
    expect(timeline.map((v) => [v.kind, v.change, v.trigger])).toEqual([
      ['version', 'created', 'scheduled'],
      ['version', 'changed', 'realtime:AuthorizeSecurityGroupIngress'],
      ['version', 'deleted', 'scheduled'],
      ['version', 'recreated', 'scheduled'],
    ]);
    const [created, changed, deleted, recreated] = timeline;
    // A scan's change: the window opens at the scope's previous scan (or the previous observation, whichever is later).
    expect(created!.provenance).toEqual({ window: { from: '2026-12-04T05:00:00.000Z', to: at(0).toISOString() } });
    expect(created!.diff).toBeUndefined();
    expect(created!.attributes).toEqual(g);
    // The real-time change keeps its actor and says exactly what changed.
    expect(changed!.provenance).toEqual(who);
    expect(changed!.diff).toEqual({
      added: [{ path: 'IpPermissions[1]', after: JSON.stringify({ FromPort: 22, IpProtocol: 'tcp', IpRanges: [{ CidrIp: '0.0.0.0/0', Description: 'temporary debugging' }], ToPort: 22 }) }],
      removed: [],
      changed: [],
    });
    expect(changed!.attributes?.IpPermissions).toHaveLength(2);
    // The tombstone is a version, with the window since the newer of the last observation and the previous scan.
    expect(deleted!.attributes).toBeUndefined();
    expect(deleted!.provenance).toEqual({ window: { from: at(15).toISOString(), to: at(20).toISOString() } });
    // Recreated: diffed against the state it had before it went.
    expect(recreated!.diff?.removed.map((d) => d.path)).toEqual(['IpPermissions[1]']);
    // A window since: only what was observed from then on.
    expect((await history.forResource(g.ResourceId, { since: at(15).toISOString() })).map((r) => (r as VersionRecord).change)).toEqual(['deleted', 'recreated']);
  });

  it('keeps the attributes of every version whole — compressed and offloaded ones too — and expires records after the retention', async () => {
    const big = group('sg-big', [ssh], { Description: 'x'.repeat(350_000) });
    const noise = group('sg-big', [ssh], { Description: randomBytes(600_000).toString('base64') });
    await resources.putIfChanged(big, SCOPE, at(1), undefined, at(1), { trigger: 'scheduled' });
    await resources.putIfChanged(noise, SCOPE, at(2), undefined, at(2), { trigger: 'scheduled' });
    const versions = (await history.forResource(big.ResourceId, { withAttributes: true })) as VersionRecord[];
    expect(versions.map((v) => v.attributes)).toEqual([big, noise]);
    expect(versions[1]!.diff?.changed.map((d) => d.path)).toEqual(['Description']);
    // Diff previews are bounded: a 600 kB value is not copied into the diff.
    expect(versions[1]!.diff!.changed[0]!.after!.length).toBeLessThanOrEqual(301);
    // Without bodies (a timeline, the change feed), nothing is decoded.
    expect(((await history.forResource(big.ResourceId)) as VersionRecord[]).every((v) => v.attributes === undefined)).toBe(true);
    const raw = await doc.send(new GetCommand({ TableName: historyTable, Key: { resourceId: big.ResourceId, at: `${at(1).toISOString()}#v` } }));
    expect(raw.Item?.expiresAt).toBe(Math.floor(at(1).getTime() / 1000) + 30 * 86_400);
  });

  it('leaves volatile attributes out of the diff', async () => {
    const g = (used: string, open: boolean) => group('sg-vol', open ? [ssh, sshWorld] : [ssh], { LastUsed: used });
    await resources.putIfChanged(g('a', false), SCOPE, at(1), undefined, at(1), { trigger: 'scheduled', volatile: ['LastUsed'] });
    await resources.putIfChanged(g('b', true), SCOPE, at(2), undefined, at(2), { trigger: 'scheduled', volatile: ['LastUsed'] });
    const [, changed] = (await history.forResource(g('a', false).ResourceId)) as VersionRecord[];
    expect([...changed!.diff!.added, ...changed!.diff!.changed].map((d) => d.path)).toEqual(['IpPermissions[1]']);
  });

  it('two writers racing with different states record exactly one version each, and the store ends at the newer', async () => {
    const id = 'sg-race';
    await resources.putIfChanged(group(id, []), SCOPE, at(0), undefined, at(0), { trigger: 'scheduled' });
    const outcomes = await Promise.all([
      resources.putIfChanged(group(id, [ssh]), SCOPE, at(5), undefined, at(3), { trigger: 'scheduled' }),
      resources.putIfChanged(group(id, [sshWorld]), SCOPE, at(5), undefined, at(4), { trigger: 'realtime:AuthorizeSecurityGroupIngress', provenance: { actors: [actor('e-race', 4)] } }),
    ]);
    const versions = (await history.forResource(group(id, []).ResourceId)) as VersionRecord[];
    const written = outcomes.filter((o) => o === 'written').length;
    expect(versions).toHaveLength(1 + written);
    expect((await resources.get(group(id, []).ResourceId))?.attributes.IpPermissions).toEqual([sshWorld]);
  });

  it('records the transitions that move a verdict or an alert, with their cause — not a first PASS', async () => {
    const g = group('sg-find', [ssh]);
    const ref = { resourceId: g.ResourceId, resourceType: g.ResourceType, accountId: ACCOUNT, region: 'us-east-1', scope: SCOPE };
    await compliance.apply(ref, [result(g.ResourceId, 'PASS')], 'scheduled', at(1), { observedAt: at(1) });
    const who = { actors: [actor('e-2', 9), actor('e-3', 10, '198.51.100.4')] };
    const opened = await compliance.apply(ref, [result(g.ResourceId, 'FAIL')], 'realtime:AuthorizeSecurityGroupIngress', at(11), { observedAt: at(10), provenance: who });
    expect(opened.opened[0]?.provenance).toEqual(who);
    const resolved = await compliance.apply(ref, [result(g.ResourceId, 'PASS')], 'scheduled', at(41), { observedAt: at(40), since: at(30).toISOString() });
    expect(resolved.resolved[0]?.resolvedProvenance).toEqual({ window: { from: at(30).toISOString(), to: at(40).toISOString() } });
    expect((await compliance.get(g.ResourceId, 'AWS.EC2.SecurityGroup.NoSSHFromWorld'))?.provenance).toEqual(resolved.resolved[0]?.resolvedProvenance);
    await compliance.apply(ref, [result(g.ResourceId, 'FAIL')], 'scheduled', at(51), { observedAt: at(50) });
    await compliance.resourceDeleted(g.ResourceId, at(61), at(60), { trigger: 'scheduled' });

    const findings = (await history.forResource(g.ResourceId)) as FindingRecord[];
    expect(findings.map((f) => [f.fromStatus, f.toStatus, f.alert ?? null, f.trigger])).toEqual([
      ['PASS', 'FAIL', 'opened', 'realtime:AuthorizeSecurityGroupIngress'],
      ['FAIL', 'PASS', 'resolved', 'scheduled'],
      ['PASS', 'FAIL', 'opened', 'scheduled'],
      ['FAIL', null, 'resolved', 'scheduled'],
    ]);
    expect(findings[0]!.provenance).toEqual(who);
    expect(findings.every((f) => f.policyId === 'AWS.EC2.SecurityGroup.NoSSHFromWorld' && f.severity === 'High')).toBe(true);
  });

  it("feeds an account's changes in a window, without bodies, oldest first", async () => {
    const other = '222222222222';
    const mine = group('sg-feed', [ssh]);
    const theirs = { ...group('sg-feed-2', [ssh]), AccountId: other, ResourceId: `arn:aws:ec2:us-east-1:${other}:security-group/sg-feed-2` };
    await resources.putIfChanged(mine, SCOPE, at(0), undefined, new Date('2026-12-06T01:00:00Z'), { trigger: 'scheduled' });
    await resources.putIfChanged(theirs, `${other}#us-east-1#AWS.EC2.SecurityGroup`, at(0), undefined, new Date('2026-12-06T02:00:00Z'), { trigger: 'scheduled' });
    await resources.putIfChanged(group('sg-feed', [ssh, sshWorld]), SCOPE, at(0), undefined, new Date('2026-12-06T03:00:00Z'), { trigger: 'scheduled' });
    const feed = await history.feedAll(ACCOUNT, '2026-12-06T00:00:00Z');
    expect(feed.map((r) => [r.resourceId, (r as VersionRecord).change])).toEqual([
      [mine.ResourceId, 'created'],
      [mine.ResourceId, 'changed'],
    ]);
    expect(feed.every((r) => (r as VersionRecord).attributes === undefined)).toBe(true);
    expect((feed[1] as VersionRecord).diff?.added.map((d) => d.path)).toEqual(['IpPermissions[1]']);
    expect(await history.feedAll(ACCOUNT, '2026-12-06T00:00:00Z', '2026-12-06T02:00:00Z')).toHaveLength(1);
    const page = await history.feed(ACCOUNT, { since: '2026-12-06T00:00:00Z', limit: 1 });
    expect(page.records).toHaveLength(1);
    expect(page.next).toBeDefined();
  });
});

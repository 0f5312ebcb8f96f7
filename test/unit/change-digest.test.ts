/**
 * The change digest (src/compliance/change-digest.ts), the words of a history record
 * (src/core/history-text.ts, src/cli/history-text.ts) and the --since parser (src/core/since.ts):
 * pure code, on records shaped as the ResourceHistory table stores them.
 */
import { describe, expect, it } from 'vitest';
import { changeDigest, diffSummary } from '../../src/compliance/change-digest.ts';
import { changesText, historyText } from '../../src/cli/history-text.ts';
import { structuralDiff } from '../../src/core/diff.ts';
import { historyRecordSchema, type FindingRecord, type HistoryRecord, type VersionRecord } from '../../src/core/history.ts';
import { diffLines, recordWhat } from '../../src/core/history-text.ts';
import type { Actor } from '../../src/core/provenance.ts';
import { parseSince, SinceError } from '../../src/core/since.ts';

const A1 = '111111111111';
const A2 = '222222222222';
const SG = 'AWS.EC2.SecurityGroup';
const BUCKET = 'AWS.S3.Bucket';
const sg = (n: string, account = A1) => `arn:aws:ec2:us-east-1:${account}:security-group/sg-${n}`;
const ADMIN = 'arn:aws:sts::111122223333:assumed-role/Admin/deploy-pipeline';

const actor = (eventID: string, eventName: string, eventTime: string, arn: string | null = ADMIN, ip: string | null = '203.0.113.7'): Actor => ({
  eventID,
  eventName,
  eventSource: 'ec2.amazonaws.com',
  eventTime,
  awsRegion: 'us-east-1',
  via: 'eventbridge',
  identityType: 'AssumedRole',
  arn,
  principalId: 'AROAEXAMPLE:deploy-pipeline',
  accountId: '111122223333',
  sessionIssuer: 'arn:aws:iam::111122223333:role/Admin',
  invokedBy: null,
  sourceIPAddress: ip,
  userAgent: 'aws-cli/2',
});

const base = (resourceId: string, observedAt: string, type = SG, account = A1) => ({ resourceId, resourceType: type, accountId: account, region: 'us-east-1', observedAt, recordedAt: observedAt });

const version = (resourceId: string, observedAt: string, extra: Partial<VersionRecord> = {}): VersionRecord => ({ ...base(resourceId, observedAt), kind: 'version', change: 'changed', trigger: 'scheduled', ...extra });
const finding = (resourceId: string, observedAt: string, extra: Partial<FindingRecord> = {}): FindingRecord => ({
  ...base(resourceId, observedAt),
  kind: 'finding',
  trigger: 'scheduled',
  policyId: 'AWS.EC2.SecurityGroup.SSHOpenToWorld',
  fromStatus: 'PASS',
  toStatus: 'FAIL',
  severity: 'High',
  title: 'SSH open to the world',
  ...extra,
});

const openSsh = structuralDiff({ IpPermissions: [{ p: 443 }] }, { IpPermissions: [{ p: 443 }, { p: 22 }] });

describe('changeDigest', () => {
  const records: HistoryRecord[] = [
    // sg-a: changed twice by the same caller (3 events, one carried by both versions), then a scan change; an alert opened and resolved.
    version(sg('a'), '2026-12-05T12:03:20Z', { trigger: 'realtime:AuthorizeSecurityGroupIngress', diff: openSsh, provenance: { actors: [actor('e1', 'AuthorizeSecurityGroupIngress', '2026-12-05T12:03:11Z')] } }),
    finding(sg('a'), '2026-12-05T12:03:20Z', { trigger: 'realtime:AuthorizeSecurityGroupIngress', alert: 'opened', provenance: { actors: [actor('e1', 'AuthorizeSecurityGroupIngress', '2026-12-05T12:03:11Z')] } }),
    version(sg('a'), '2026-12-05T13:00:00Z', {
      trigger: 'realtime:RevokeSecurityGroupIngress',
      diff: structuralDiff({ IpPermissions: [{ p: 443 }, { p: 22 }], Description: 'x', Tags: { a: '1' } }, { IpPermissions: [{ p: 443 }], Description: 'y', Tags: {}, Name: 'n' }),
      provenance: { actors: [actor('e1', 'AuthorizeSecurityGroupIngress', '2026-12-05T12:03:11Z'), actor('e2', 'RevokeSecurityGroupIngress', '2026-12-05T12:59:00Z', ADMIN, '198.51.100.1'), actor('e3', 'RevokeSecurityGroupIngress', '2026-12-05T12:59:30Z', null)], moreActors: 4 },
    }),
    finding(sg('a'), '2026-12-05T13:00:00Z', { fromStatus: 'FAIL', toStatus: 'PASS', alert: 'resolved' }),
    // sg-b (other account): created, found by a scan; then deleted.
    version(sg('b', A2), '2026-12-05T10:00:00Z', { change: 'created', accountId: A2, provenance: { window: { from: null, to: '2026-12-05T10:00:00Z' } } }),
    version(sg('b', A2), '2026-12-05T11:00:00Z', { change: 'deleted', accountId: A2, provenance: { window: { from: '2026-12-05T10:00:00Z', to: '2026-12-05T11:00:00Z' } } }),
    // a bucket: only a verdict moved (a policy upload re-evaluated it).
    { ...finding('arn:aws:s3:::logs', '2026-12-05T09:00:00Z', { trigger: 'upload:abc', fromStatus: null, toStatus: 'FAIL', policyId: 'AWS.S3.Bucket.Versioning', severity: 'Low', title: null }), resourceType: BUCKET },
  ];

  it('groups by resource (account, type, ID order), versions and findings oldest first', () => {
    const d = changeDigest([...records].reverse());
    expect(d.resources.map((r) => r.resourceId)).toEqual([sg('a'), 'arn:aws:s3:::logs', sg('b', A2)]);
    const a = d.resources[0]!;
    expect(a).toMatchObject({ resourceType: SG, accountId: A1, region: 'us-east-1' });
    expect(a.versions.map((v) => [v.observedAt, v.change, v.summary])).toEqual([
      ['2026-12-05T12:03:20Z', 'changed', '1 path: + IpPermissions[1]'],
      ['2026-12-05T13:00:00Z', 'changed', '4 paths: ~ Description, + Name, - IpPermissions[1], and 1 more'],
    ]);
    expect(a.findings.map((f) => [f.fromStatus, f.toStatus, f.alert])).toEqual([
      ['PASS', 'FAIL', 'opened'],
      ['FAIL', 'PASS', 'resolved'],
    ]);
    expect(d.resources[1]!.versions).toEqual([]);
    expect(d.resources[1]!.findings).toEqual([expect.objectContaining({ policyId: 'AWS.S3.Bucket.Versioning', fromStatus: null, toStatus: 'FAIL' })]);
  });

  it('lists each caller once with its calls, source IPs and times (each event once), or the scan windows', () => {
    const [a, , b] = changeDigest(records).resources;
    expect(a!.actors).toEqual([
      { name: ADMIN, eventNames: ['AuthorizeSecurityGroupIngress', 'RevokeSecurityGroupIngress'], sourceIPs: ['198.51.100.1', '203.0.113.7'], times: ['2026-12-05T12:03:11Z', '2026-12-05T12:59:00Z'] },
      { name: 'AROAEXAMPLE:deploy-pipeline', eventNames: ['RevokeSecurityGroupIngress'], sourceIPs: ['203.0.113.7'], times: ['2026-12-05T12:59:30Z'] },
    ]);
    expect(a!.moreActors).toBe(4);
    expect(a!.scanWindows).toEqual([]);
    expect(b!.actors).toEqual([]);
    expect(b!.versions.map((v) => v.summary)).toEqual(['created', 'deleted']);
    expect(b!.scanWindows).toEqual([
      { from: null, to: '2026-12-05T10:00:00Z' },
      { from: '2026-12-05T10:00:00Z', to: '2026-12-05T11:00:00Z' },
    ]);
  });

  it('totals resources, versions, alerts opened and resolved, and distinct callers', () => {
    expect(changeDigest(records).totals).toEqual({ resources: 3, versions: 4, findingsOpened: 1, findingsResolved: 1, actors: 2 });
    expect(changeDigest([]).totals).toEqual({ resources: 0, versions: 0, findingsOpened: 0, findingsResolved: 0, actors: 0 });
  });

  it('keeps only the types asked for', () => {
    expect(changeDigest(records, { types: [BUCKET] }).resources.map((r) => r.resourceId)).toEqual(['arn:aws:s3:::logs']);
    expect(changeDigest(records, { types: [] }).resources).toHaveLength(3);
  });

  it('renders a block per resource and the summary line', () => {
    const text = changesText(changeDigest(records), '2026-12-04T13:00:00Z');
    expect(text).toContain(`${sg('a')}\n  ${SG} · account ${A1} · us-east-1\n  2026-12-05 12:03:20 UTC  changed: 1 path: + IpPermissions[1]  [realtime:AuthorizeSecurityGroupIngress]`);
    expect(text).toContain(`  by ${ADMIN}: AuthorizeSecurityGroupIngress, RevokeSecurityGroupIngress from 198.51.100.1, 203.0.113.7 at 2026-12-05 12:03:11 UTC, 2026-12-05 12:59:00 UTC`);
    expect(text).toContain('  and 4 more events not kept');
    expect(text).toContain('  finding AWS.EC2.SecurityGroup.SSHOpenToWorld [High] PASS→FAIL (alert opened): SSH open to the world');
    expect(text).toContain('  found by a scan: changed between 2026-12-05 10:00:00 UTC and 2026-12-05 11:00:00 UTC (no CloudTrail event was seen)');
    expect(text.trimEnd().split('\n').at(-1)).toBe('3 resources changed since 2026-12-04 13:00:00 UTC, 1 finding opened, 1 resolved, by 2 actors');
  });
});

describe('diffSummary, diffLines, recordWhat', () => {
  it('summarises a diff in one line and lists it path by path', () => {
    expect(diffSummary(undefined)).toBe('no diff recorded');
    expect(diffSummary({ added: [], removed: [], changed: [] })).toBe('no attribute changed');
    expect(diffSummary({ added: [{ path: 'a', after: '1' }], removed: [], changed: [], more: 250 })).toBe('251 paths: + a, and 250 more');
    const d = structuralDiff({ Name: 'old', Gone: 1, Rules: [1] }, { Name: 'new', Rules: [1, 2] });
    expect(diffLines(d)).toEqual(['~ Name: "old" → "new"', '+ Rules[1] = 2', '- Gone (was 1)']);
    expect(diffLines({ added: [], removed: [], changed: [], more: 1 })).toEqual(['… and 1 more path not listed']);
  });

  it('names a version by its change and a transition by policy, statuses and alert', () => {
    expect(recordWhat(version('x', '2026-12-05T00:00:00Z', { change: 'recreated' }))).toBe('recreated');
    expect(recordWhat(finding('x', '2026-12-05T00:00:00Z', { fromStatus: 'FAIL', toStatus: 'PASS', alert: 'resolved' }))).toBe('FINDING AWS.EC2.SecurityGroup.SSHOpenToWorld FAIL→PASS (alert resolved)');
    expect(recordWhat(finding('x', '2026-12-05T00:00:00Z', { fromStatus: 'FAIL', toStatus: null }))).toBe('FINDING AWS.EC2.SecurityGroup.SSHOpenToWorld FAIL→removed');
  });

  it('prints a history block per record, the version before the verdicts it moved: time and what, trigger, cause, diff', () => {
    const text = historyText([
      finding(sg('a'), '2026-12-05T12:03:20Z', { alert: 'opened' }),
      version(sg('a'), '2026-12-05T12:03:20Z', { trigger: 'realtime:AuthorizeSecurityGroupIngress', diff: openSsh, provenance: { actors: [actor('e1', 'AuthorizeSecurityGroupIngress', '2026-12-05T12:03:11Z')] } }),
      version(sg('a'), '2026-12-05T14:00:00Z', { change: 'deleted' }),
    ]);
    expect(text).toBe(
      [
        '2026-12-05 12:03:20 UTC  changed',
        '  trigger: realtime:AuthorizeSecurityGroupIngress',
        `  cause:   after ${ADMIN} called AuthorizeSecurityGroupIngress from 203.0.113.7 at 2026-12-05 12:03:11 UTC`,
        '    + IpPermissions[1] = {"p":22}',
        '',
        '2026-12-05 12:03:20 UTC  FINDING AWS.EC2.SecurityGroup.SSHOpenToWorld PASS→FAIL (alert opened)',
        '  High: SSH open to the world',
        '  trigger: scheduled',
        '  cause:   not recorded',
        '',
        '2026-12-05 14:00:00 UTC  deleted',
        '  trigger: scheduled',
        '  cause:   not recorded',
        '',
      ].join('\n'),
    );
  });

  it('the API schema accepts the records as stored and refuses a wrong kind', () => {
    expect(historyRecordSchema.parse(version('x', '2026-12-05T00:00:00Z', { diff: openSsh }))).toMatchObject({ kind: 'version', diff: openSsh });
    expect(historyRecordSchema.safeParse({ ...finding('x', '2026-12-05T00:00:00Z'), kind: 'verdict' }).success).toBe(false);
  });
});

describe('parseSince', () => {
  const now = new Date('2026-12-05T12:00:00Z');
  it('takes a duration back from now, or an ISO time (no zone: UTC)', () => {
    expect(parseSince('30d', now)).toBe('2026-11-05T12:00:00.000Z');
    expect(parseSince('24h', now)).toBe('2026-12-04T12:00:00.000Z');
    expect(parseSince('90m', now)).toBe('2026-12-05T10:30:00.000Z');
    expect(parseSince('2026-12-01', now)).toBe('2026-12-01T00:00:00.000Z');
    expect(parseSince('2026-12-01T09:30', now)).toBe('2026-12-01T09:30:00.000Z');
    expect(parseSince('2026-12-01T09:30:00+02:00', now)).toBe('2026-12-01T07:30:00.000Z');
  });
  it('refuses anything else with one line naming the value', () => {
    for (const bad of ['30', '3w', 'yesterday', '2026-13-45', '']) expect(() => parseSince(bad, now), bad).toThrow(SinceError);
    expect(() => parseSince('3w', now)).toThrow("'3w' is neither a duration like 30d, 24h or 90m nor an ISO time like 2026-12-01T09:00:00Z");
  });
});

/** CSV quoting, OCSF 2003 and ASFF shapes, exception validation and matching, Tests entries: no emulator. */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { asTestEntries } from '../../src/cli/commands/resources.ts';
import { filterFindings, parseSeverity, parseStatuses } from '../../src/cli/commands/findings.ts';
import { CSV_COLUMNS, csvField, findingUid, toAsff, toCsv, toOcsf, toOcsfLines } from '../../src/compliance/finding-formats.ts';
import { toFinding, type Finding } from '../../src/compliance/findings.ts';
import type { PolicyResult } from '../../src/core/types.ts';
import type { ComplianceItem } from '../../src/compliance/model.ts';
import { ExceptionError, ExceptionSet, globToRegExp, isActive, validateException, type PolicyException } from '../../src/compliance/exceptions.ts';
import type { StoredResource } from '../../src/store/resource-store.ts';
import { aFinding } from '../helpers/finding.ts';
import { readCsv } from '../helpers/csv.ts';

const NOW = new Date('2026-06-15T12:00:00Z');

const finding = (over: Partial<Finding> = {}): Finding => aFinding({
  resourceId: 'arn:aws:s3:::bucket-a',
  title: 'Bucket not encrypted',
  severity: 'High',
  description: 'The bucket has no default encryption.',
  runbook: 'Enable default encryption.',
  reference: 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/default-bucket-encryption.html',
  ...over,
});

describe('CSV', () => {
  it('quotes commas, quotes, newlines and edge spaces, and round-trips', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(' padded')).toBe('" padded"');
    expect(csvField(null)).toBe('');
    const tricky = finding({ title: 'Quote " comma, newline\r\nend', errorMessage: '=cmd|x', suppressed: true, suppressedBy: 'exc-1' });
    const rows = readCsv(toCsv([tricky, finding({ status: 'PASS' })]));
    expect(rows).toHaveLength(3);
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows.every((r) => r.length === CSV_COLUMNS.length)).toBe(true);
    const rec = Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, rows[1]![i]]));
    expect(rec).toMatchObject({ title: tricky.title, suppressed: 'true', suppressedBy: 'exc-1', lastVerified: tricky.lastVerified, verifiedBy: 'scheduled' });
  });
});

describe('OCSF compliance finding', () => {
  it('has the 2003 class, its required objects, and maps activity, status and severity', () => {
    const ev = toOcsf(finding(), { partition: 'aws', now: NOW });
    expect(ev).toMatchObject({ class_uid: 2003, category_uid: 2, activity_id: 1, type_uid: 200301, severity_id: 4, severity: 'High', status_id: 1, status: 'New' });
    expect(ev.metadata.version).toMatch(/^1\.\d+\.\d+$/);
    expect(ev.metadata.product.name).toBe('Posture');
    expect(typeof ev.time).toBe('number');
    expect(ev.finding_info).toMatchObject({ uid: findingUid('AWS.S3.Bucket.Encryption', 'arn:aws:s3:::bucket-a'), title: 'Bucket not encrypted' });
    expect(ev.compliance).toMatchObject({ control: 'AWS.S3.Bucket.Encryption', status_id: 3, status: 'Fail' });
    expect(Array.isArray(ev.compliance.standards) && ev.compliance.standards.length > 0).toBe(true);
    expect(ev.resources).toEqual([
      { uid: 'arn:aws:s3:::bucket-a', type: 'AWS.S3.Bucket', region: 'us-east-1', cloud_partition: 'aws', owner: { account: { uid: '111111111111', type: 'AWS Account', type_id: 10 } } },
    ]);
    expect(ev.cloud).toMatchObject({ provider: 'AWS', region: 'us-east-1', account: { uid: '111111111111' } });

    const pass = toOcsf(finding({ status: 'PASS', severity: 'Info' }), { partition: 'aws', now: NOW });
    expect(pass).toMatchObject({ activity_id: 3, type_uid: 200303, status_id: 4, severity_id: 1, compliance: { status_id: 1, status: 'Pass' } });
    const sup = toOcsf(finding({ suppressed: true, suppressedBy: 'exc-9', severity: 'Critical' }), { partition: 'aws', now: NOW });
    expect(sup).toMatchObject({ activity_id: 2, status_id: 3, status: 'Suppressed', status_detail: 'exception exc-9', severity_id: 5 });
    const err = toOcsf(finding({ status: 'ERROR', errorMessage: 'boom' }), { partition: 'aws', now: NOW });
    expect(err.compliance).toMatchObject({ status_id: 99, status_detail: 'boom' });
  });

  it('writes one JSON object per line', () => {
    const lines = toOcsfLines([finding(), finding({ resourceId: 'arn:aws:s3:::b' })], { partition: 'aws', now: NOW }).trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    for (const l of lines) expect(JSON.parse(l)).toHaveProperty('class_uid', 2003);
  });
});

describe('ASFF', () => {
  const ctx = { partition: 'aws', region: 'eu-west-1', securityAccountId: '999999999999' };

  it('carries the required fields, a stable Id and the default product of the security account', () => {
    const a = toAsff(finding(), ctx);
    expect(a).toMatchObject({
      SchemaVersion: '2018-10-08',
      ProductArn: 'arn:aws:securityhub:eu-west-1:999999999999:product/999999999999/default',
      GeneratorId: 'posture/AWS.S3.Bucket.Encryption',
      AwsAccountId: '111111111111',
      CreatedAt: '2026-06-14T10:00:00.000Z',
      UpdatedAt: '2026-06-15T10:00:00.000Z',
      Severity: { Label: 'HIGH' },
      Title: 'Bucket not encrypted',
      Remediation: { Recommendation: { Text: 'Enable default encryption.', Url: expect.stringMatching(/^https:/) } },
      Resources: [{ Type: 'AwsS3Bucket', Id: 'arn:aws:s3:::bucket-a', Partition: 'aws', Region: 'us-east-1' }],
      Compliance: { Status: 'FAILED' },
      Workflow: { Status: 'NEW' },
      RecordState: 'ACTIVE',
    });
    expect(a.Types[0]).toMatch(/^Software and Configuration Checks\//);
    expect(a.FindingProviderFields).toEqual({ Severity: { Label: 'HIGH', Original: 'High' }, Types: a.Types });
    expect(a.Description.length).toBeLessThanOrEqual(1024);
    // Same pair, same Id, whatever the state; another pair, another Id.
    expect(toAsff(finding({ status: 'PASS', lastChanged: '2026-06-16T00:00:00Z' }), ctx).Id).toBe(a.Id);
    expect(toAsff(finding({ resourceId: 'arn:aws:s3:::other' }), ctx).Id).not.toBe(a.Id);
  });

  it('resolves and archives fixes, suppresses exceptions, and maps errors and global resources', () => {
    expect(toAsff(finding({ status: 'PASS' }), ctx)).toMatchObject({ Compliance: { Status: 'PASSED' }, Workflow: { Status: 'RESOLVED' }, RecordState: 'ARCHIVED' });
    expect(toAsff(finding({ suppressed: true, suppressedBy: 'exc-1' }), ctx)).toMatchObject({ Workflow: { Status: 'SUPPRESSED' }, RecordState: 'ACTIVE', ProductFields: { 'posture/SuppressedBy': 'exc-1' } });
    expect(toAsff(finding({ status: 'ERROR', errorMessage: 'x' }), ctx).Compliance.Status).toBe('NOT_AVAILABLE');
    const g = toAsff(finding({ region: 'global', resourceType: 'AWS.PasswordPolicy', resourceId: '111111111111::PasswordPolicy' }), ctx);
    expect(g.Resources[0]).toMatchObject({ Type: 'Other', Region: 'eu-west-1' });
  });
});

describe('findings filters', () => {
  const rows = [finding(), finding({ severity: 'Low', policyId: 'P2' }), finding({ status: 'PASS' }), finding({ suppressed: true, suppressedBy: 'exc-1' })];
  it('filters by policy, minimum severity and status (FAIL excludes suppressed)', () => {
    expect(filterFindings(rows, { severity: parseSeverity('medium') })).toHaveLength(3);
    expect(filterFindings(rows, { policy: ['P2'] })).toHaveLength(1);
    expect(filterFindings(rows, { status: parseStatuses(['fail']) })).toHaveLength(2);
    expect(filterFindings(rows, { status: parseStatuses(['SUPPRESSED']) })).toEqual([rows[3]]);
    expect(() => parseSeverity('urgent')).toThrow(/^--min-severity: 'urgent' is not one of Info, Low, Medium, High, Critical$/);
    expect(() => parseStatuses(['OPEN'])).toThrow(/^--status: 'OPEN' is not one of/);
  });

  it('shows the newer of the scope scan and the last change as last verified', () => {
    const item = { lastChanged: '2026-06-14T10:00:00Z', trigger: 'realtime:PutBucketPolicy', scope: 's' } as unknown as ComplianceItem;
    expect(toFinding(item, { scope: 's', finishedAt: '2026-06-15T00:00:00Z', trigger: 'scheduled' })).toMatchObject({ lastVerified: '2026-06-15T00:00:00Z', verifiedBy: 'scheduled' });
    expect(toFinding(item, { scope: 's', finishedAt: '2026-06-13T00:00:00Z', trigger: 'scheduled' })).toMatchObject({ lastVerified: '2026-06-14T10:00:00Z', verifiedBy: 'realtime:PutBucketPolicy' });
  });

  it('keeps the scan as last verified after an upload re-evaluated the stored copy', () => {
    const item = { lastChanged: '2026-06-14T10:00:00Z', trigger: 'upload:c662e8ea9fa1', scope: 's' } as unknown as ComplianceItem;
    expect(toFinding(item, { scope: 's', finishedAt: '2026-06-13T00:00:00Z', trigger: 'scheduled' })).toMatchObject({
      trigger: 'upload:c662e8ea9fa1',
      lastVerified: '2026-06-13T00:00:00Z',
      verifiedBy: 'scheduled',
    });
  });
});

describe('exceptions', () => {
  const ok = { policyId: 'AWS.S3.Bucket.Encryption', resourcePattern: 'arn:aws:s3:::logs-*', reason: 'legacy', owner: 'sec@x', expires: '2026-07-01' };
  it('validates with one-line messages', () => {
    expect(validateException(ok, NOW)).toEqual(ok);
    const cases: [Partial<typeof ok>, RegExp][] = [
      [{ policyId: '' }, /^policy: required/],
      [{ policyId: 'bad id' }, /^policy: 'bad id' is not a policy ID/],
      [{ resourcePattern: '' }, /^resource: required/],
      [{ resourcePattern: '**' }, /^resource: a bare \* would except every resource/],
      [{ reason: ' ' }, /^reason: required/],
      [{ owner: undefined }, /^owner: required/],
      [{ expires: '1/7/2026' }, /^expires: '1\/7\/2026' is not a date \(YYYY-MM-DD\)$/],
      [{ expires: '2026-02-30' }, /^expires: '2026-02-30' is not a calendar date$/],
      [{ expires: '2026-06-14' }, /^expires: 2026-06-14 is in the past$/],
    ];
    for (const [over, msg] of cases) {
      const err = (() => {
        try {
          validateException({ ...ok, ...over }, NOW);
        } catch (e) {
          return e as Error;
        }
        return undefined;
      })();
      expect(err).toBeInstanceOf(ExceptionError);
      expect(err!.message).toMatch(msg);
      expect(err!.message).not.toContain('\n');
    }
    // The expiry day itself still applies.
    expect(() => validateException({ ...ok, expires: '2026-06-15' }, NOW)).not.toThrow();
  });

  it('matches globs and applies only while active, only to unsuppressed FAILs', () => {
    expect(globToRegExp('arn:aws:s3:::logs-*').test('arn:aws:s3:::logs-2024')).toBe(true);
    expect(globToRegExp('arn:aws:s3:::logs-?').test('arn:aws:s3:::logs-ab')).toBe(false);
    expect(globToRegExp('a.b').test('axb')).toBe(false);
    const e: PolicyException = { exceptionId: 'exc-1', ...ok, createdAt: NOW.toISOString() };
    expect(isActive(e, new Date('2026-07-01T23:59:59Z'))).toBe(true);
    expect(isActive(e, new Date('2026-07-02T00:00:00Z'))).toBe(false);
    const set = new ExceptionSet([e]);
    const r = (over: Partial<PolicyResult>): PolicyResult => ({
      policyId: ok.policyId,
      resourceId: 'arn:aws:s3:::logs-1',
      resourceType: 'AWS.S3.Bucket',
      status: 'FAIL',
      errorMessage: null,
      severity: 'High',
      title: null,
      dedup: null,
      suppressed: false,
      ...over,
    });
    const [fail, pass, other, already] = set.apply([r({}), r({ status: 'PASS' }), r({ resourceId: 'arn:aws:s3:::data' }), r({ suppressed: true })], NOW);
    expect(fail).toMatchObject({ suppressed: true, suppressedBy: 'exc-1' });
    expect(pass).toMatchObject({ suppressed: false });
    expect(other).toMatchObject({ suppressed: false });
    expect(already!.suppressedBy).toBeUndefined();
    expect(set.apply([r({})], new Date('2026-07-02T00:00:00Z'))[0]).toMatchObject({ suppressed: false });
  });
});

describe('resources get --as-test', () => {
  it('prints a Tests entry per applicable policy with the stored result as ExpectedResult', () => {
    const attributes = { ResourceId: 'arn:aws:s3:::b', ResourceType: 'AWS.S3.Bucket', Name: 'b', Tags: { a: '1' } };
    const resource = { resourceId: 'arn:aws:s3:::b', attributes } as unknown as StoredResource;
    const item = (policyId: string, status: ComplianceItem['status']) => [policyId, { policyId, status, suppressed: false, errorMessage: status === 'ERROR' ? 'boom' : null } as ComplianceItem] as const;
    const text = asTestEntries(resource, new Map([item('P.Fail', 'FAIL'), item('P.Pass', 'PASS'), item('P.Err', 'ERROR')]), 'Real bucket b');
    expect(text).toContain('# P.Err: the evaluation errored (boom); no expected result');
    const blocks = text.split(/^# .*\n/m).filter((b) => b.trim());
    expect(blocks).toHaveLength(2);
    const [fail, pass] = blocks.map((b) => parse(b) as { Name: string; ExpectedResult: boolean; Resource: unknown }[]);
    expect(fail).toEqual([{ Name: 'Real bucket b', ExpectedResult: false, Resource: attributes }]);
    expect(pass![0]!.ExpectedResult).toBe(true);
    // Indented as a list item under Tests:
    expect(text).toMatch(/^ {2}- Name: Real bucket b$/m);
  });
});

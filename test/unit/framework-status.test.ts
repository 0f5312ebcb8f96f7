/** Control status across accounts: passing, failing, not evaluated, not automatable; suppressed and errored verdicts. */
import { describe, expect, it } from 'vitest';
import type { CatalogEntry, PolicyCatalog } from '../../src/compliance/catalog.ts';
import type { Finding } from '../../src/compliance/findings.ts';
import { findFramework } from '../../src/compliance/frameworks/index.ts';
import { allFrameworkStatus, CONTROL_STATUSES, frameworkStatus, frameworkStatusFromSummary, unknownFrameworkKeys, type ComplianceInput, type UnreadScope } from '../../src/compliance/frameworks/status.ts';
import { summarize, type NotEvaluatedScope } from '../../src/compliance/daily-summary.ts';
import { aFinding } from '../helpers/finding.ts';

const A = '111111111111';
const B = '222222222222';
const CIS = 'CIS AWS Foundations 3.0';

const policy = (policyId: string, resourceTypes: string[], controls: string[], over: Partial<CatalogEntry> = {}): CatalogEntry => ({
  policyId,
  displayName: policyId,
  severity: 'Medium',
  resourceTypes,
  enabled: true,
  reports: { [CIS]: controls },
  description: null,
  runbook: null,
  reference: null,
  ...over,
});

const catalog: PolicyCatalog = {
  source: 'test',
  policies: [
    policy('P.Flow', ['AWS.EC2.VPC'], ['3.7']),
    policy('P.Default', ['AWS.EC2.SecurityGroup'], ['5.4']),
    policy('P.Kms', ['AWS.CloudTrail'], ['3.5']),
    policy('P.Rds', ['AWS.RDS.Instance'], ['2.3.1']),
    policy('P.Keys', ['AWS.IAM.User'], ['1.14']),
    policy('P.Rotation', ['AWS.KMS.Key'], ['3.6'], { enabled: false }),
    policy('P.Custom', ['AWS.S3.Bucket'], ['9.9'], { reports: { [CIS]: ['9.9'], 'ACME Internal': ['A-1'] } }),
  ],
};

const finding = (policyId: string, accountId: string, status: Finding['status'], over: Partial<Finding> = {}): Finding => aFinding({
  accountId,
  resourceId: `${policyId}-${accountId}-${status}`,
  resourceType: catalog.policies.find((p) => p.policyId === policyId)!.resourceTypes[0]!,
  policyId,
  status,
  errorMessage: status === 'ERROR' ? 'KeyError: x' : null,
  ...over,
});

const findings: Finding[] = [
  finding('P.Flow', A, 'PASS'),
  finding('P.Flow', B, 'FAIL'),
  finding('P.Default', A, 'PASS'),
  finding('P.Default', A, 'FAIL', { suppressed: true, suppressedBy: 'exc-1' }),
  finding('P.Kms', A, 'ERROR'),
  finding('P.Kms', B, 'PASS'),
  finding('P.Keys', A, 'PASS', { region: 'global' }),
  finding('P.Keys', B, 'PASS', { region: 'global' }),
];

const unread: UnreadScope[] = [
  { accountId: A, region: 'global', resourceType: 'AWS.IAM.User', outcome: 'ACCESS_DENIED' },
  // A disabled opt-in region is not a gap: it leaves nothing unevaluated.
  { accountId: B, region: 'ap-east-1', resourceType: '*', outcome: 'REGION_DISABLED' },
];

const input: ComplianceInput = { catalog, findings, unread, accounts: [A, B] };
const cis = frameworkStatus(findFramework('cis-3.0')!, input);
const control = (id: string) => cis.controls.find((c) => c.id === id)!;

describe('control status', () => {
  it('fails on one unsuppressed failing resource, per account and overall, with the resource as evidence', () => {
    const c = control('3.7');
    expect(c).toMatchObject({ status: 'FAILING', reason: null, policies: ['P.Flow'], counts: { pass: 1, fail: 1, error: 0, suppressed: 0 }, accounts: { [A]: 'PASSING', [B]: 'FAILING' } });
    expect(c.evidence).toEqual([{ accountId: B, region: 'us-east-1', resourceType: 'AWS.EC2.VPC', resourceId: `P.Flow-${B}-FAIL`, policyId: 'P.Flow', status: 'FAIL', errorMessage: null }]);
  });

  it('passes when the only failure is suppressed by an exception, and counts it', () => {
    expect(control('5.4')).toMatchObject({ status: 'PASSING', counts: { pass: 1, fail: 0, suppressed: 1 }, evidence: [] });
  });

  it('an errored verdict is not passing: not evaluated, with the error as evidence', () => {
    const c = control('3.5');
    expect(c.status).toBe('NOT_EVALUATED');
    expect(c.reason).toBe('1 verdict(s) errored');
    expect(c.accounts).toEqual({ [A]: 'NOT_EVALUATED', [B]: 'PASSING' });
    expect(c.evidence.map((e) => [e.status, e.errorMessage])).toEqual([['ERROR', 'KeyError: x']]);
  });

  it('a scope the ledger could not read leaves its controls not evaluated in that account', () => {
    const c = control('1.14');
    expect(c.status).toBe('NOT_EVALUATED');
    expect(c.reason).toContain(`${A} global AWS.IAM.User (ACCESS_DENIED)`);
    expect(c.accounts).toEqual({ [A]: 'NOT_EVALUATED', [B]: 'PASSING' });
  });

  it('no verdict at all is not evaluated, never passing', () => {
    expect(control('2.3.1')).toMatchObject({ status: 'NOT_EVALUATED', accounts: { [A]: 'NOT_EVALUATED', [B]: 'NOT_EVALUATED' } });
    expect(control('2.3.1').reason).toMatch(/^no verdict/);
  });

  it('a failure outweighs errors and unread scopes', () => {
    const more = frameworkStatus(findFramework('cis-3.0')!, { ...input, findings: [...findings, finding('P.Keys', A, 'FAIL', { region: 'global', resourceId: 'u' })] });
    expect(more.controls.find((c) => c.id === '1.14')!.status).toBe('FAILING');
  });

  it('controls without an enabled policy are not automatable, with the model\'s reason or a default one', () => {
    expect(control('3.6')).toMatchObject({ status: 'NOT_AUTOMATABLE', policies: [], reason: 'no policy of the active pack reports against this control' });
    expect(control('4.1').reason).toMatch(/metric filter/);
    expect(control('1.1')).toMatchObject({ status: 'NOT_AUTOMATABLE', assessment: 'Manual' });
    expect(control('1.1').reason).toBeTruthy();
  });

  it('lists the benchmark\'s controls, then the control IDs the pack maps to that the model does not know', () => {
    expect(cis.controls).toHaveLength(62 + 1);
    expect(cis.controls.at(-1)).toMatchObject({ id: '9.9', section: 'unlisted', status: 'NOT_EVALUATED', policies: ['P.Custom'] });
  });

  it('totals count every control once', () => {
    expect(CONTROL_STATUSES.reduce((n, s) => n + cis.totals[s], 0)).toBe(cis.controls.length);
    expect(cis.totals.FAILING).toBe(1);
    expect(cis.totals.PASSING).toBe(1);
  });
});

describe('frameworks overview', () => {
  it('computes every known framework, passes a trend through, and names unknown Reports keys', () => {
    const series = { points: [], latest: null };
    const all = allFrameworkStatus({ ...input, trend: (id) => (id === 'cis-3.0' ? series : undefined) });
    expect(all.map((f) => f.id)).toContain('fsbp');
    expect(all.find((f) => f.id === 'cis-3.0')!.trend).toBe(series);
    expect(all.find((f) => f.id === 'fsbp')!.trend).toBeUndefined();
    expect(all.find((f) => f.id === 'fsbp')!.totals.NOT_AUTOMATABLE).toBe(all.find((f) => f.id === 'fsbp')!.controls.length);
    expect(unknownFrameworkKeys(catalog)).toEqual(['ACME Internal']);
  });
});

describe("control status from the daily summary's counts (the console's overview)", () => {
  const rows = summarize({
    day: '2026-03-10',
    compliance: findings.map((f) => ({ ...f, scope: `${f.accountId}#${f.region}#${f.resourceType}` })),
    notEvaluated: unread as NotEvaluatedScope[],
    policies: catalog.policies.map((p) => ({ policyId: p.policyId, severity: p.severity, resourceTypes: p.resourceTypes })),
  });
  const fromSummary = frameworkStatusFromSummary(findFramework('cis-3.0')!, { catalog, rows, accounts: [A, B] });

  it('judges every control, overall and per account, as the findings do', () => {
    expect(fromSummary.controls.map((c) => [c.id, c.status, c.accounts])).toEqual(cis.controls.map((c) => [c.id, c.status, c.accounts]));
    expect(fromSummary.totals).toEqual(cis.totals);
  });

  it('counts without listing evidence, and names the unread scopes only by number', () => {
    expect(fromSummary.controls.find((c) => c.id === '3.7')).toMatchObject({ counts: { pass: 1, fail: 1, error: 0, suppressed: 0 }, evidence: [] });
    expect(fromSummary.controls.find((c) => c.id === '1.14')!.reason).toBe('1 scope(s) of its policies not evaluated');
  });
});

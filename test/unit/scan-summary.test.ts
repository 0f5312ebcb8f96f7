/** The scan summary names each ERROR result (resource, policy, message), not only their count. */
import { describe, expect, it } from 'vitest';
import { assessCompleteness, printSummary, type ScanResult } from '../../src/cli/scan.ts';
import type { Finding } from '../../src/compliance/findings.ts';
import { aFinding } from '../helpers/finding.ts';

const finding = (i: number, over: Partial<Finding> = {}): Finding => aFinding({
  accountId: '111122223333',
  resourceId: `arn:aws:s3:::bucket-${i}`,
  policyId: 'AWS.S3.Bucket.Versioning',
  status: 'ERROR',
  errorMessage: `KeyError: 'Versioning' (bucket-${i})`,
  lastChanged: '2026-01-01T00:00:00Z',
  lastVerified: null,
  verifiedBy: null,
  ...over,
});

function result(findings: Finding[]): ScanResult {
  const completeness = assessCompleteness({ notEvaluated: [], engineErrors: [], findings, failOn: null, allowIncomplete: false });
  const errors = findings.filter((f) => f.status === 'ERROR').length;
  return {
    scanId: 's1',
    startedAt: '2026-01-01T00:00:00Z',
    finishedAt: '2026-01-01T00:01:00Z',
    interrupted: false,
    caller: { accountId: '111122223333', arn: 'arn:aws:iam::111122223333:user/me' },
    accounts: ['111122223333'],
    regions: null,
    types: null,
    frameworks: { chosen: ['cis-3.0', 'fsbp'], all: false, policiesLeftOut: [] },
    resources: findings.length,
    summary: {
      failing: 1,
      errors,
      passing: 0,
      suppressed: 0,
      failingBySeverity: { Info: 0, Low: 0, Medium: 0, High: 1, Critical: 0 },
      byAccount: [{ accountId: '111122223333', resources: findings.length, failing: 1, errors, passing: 0 }],
      byPolicy: [{ policyId: 'AWS.S3.Bucket.PublicACL', severity: 'High', failing: 1, title: 'S3 Bucket ACL Grants Public Access' }],
    },
    notEvaluated: [],
    completeness,
    failOn: null,
    exitCode: 3,
    files: { findings: '/tmp/out/findings.json' },
    failingFindings: findings,
  };
}

const lines = (r: ScanResult) => {
  const out: string[] = [];
  printSummary(r, (l) => out.push(l));
  return out.join('\n').split('\n');
};

describe('printSummary', () => {
  it('lists each ERROR result with its resource, policy and message, and the policy names', () => {
    const out = lines(result([finding(1), finding(2, { policyId: 'AWS.S3.Bucket.Logging', errorMessage: 'TypeError: NoneType' }), finding(3, { status: 'FAIL', policyId: 'AWS.S3.Bucket.PublicACL' })]));
    expect(out).toContain('Errors (2 policy results not evaluated):');
    expect(out.some((l) => /^arn:aws:s3:::bucket-1\s+AWS\.S3\.Bucket\.Versioning\s+KeyError: 'Versioning' \(bucket-1\)$/.test(l))).toBe(true);
    expect(out.some((l) => /^arn:aws:s3:::bucket-2\s+AWS\.S3\.Bucket\.Logging\s+TypeError: NoneType$/.test(l))).toBe(true);
    expect(out.some((l) => l.startsWith('arn:aws:s3:::bucket-3'))).toBe(false); // a FAIL is not an error
    expect(out.some((l) => /^AWS\.S3\.Bucket\.PublicACL\s+High\s+1\s+S3 Bucket ACL Grants Public Access$/.test(l))).toBe(true);
  });

  it('shows the first 20 and says where the rest are', () => {
    const out = lines(result(Array.from({ length: 23 }, (_, i) => finding(i))));
    expect(out).toContain('Errors (23 policy results not evaluated):');
    expect(out.filter((l) => l.startsWith('arn:aws:s3:::bucket-'))).toHaveLength(20);
    expect(out).toContain('… 3 more ERROR results in /tmp/out/findings.json');
  });

  it('prints no error section when nothing errored', () => {
    expect(lines(result([finding(1, { status: 'FAIL' })])).some((l) => l.startsWith('Errors'))).toBe(false);
  });
});

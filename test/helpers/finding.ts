/** A stored finding for unit tests: a scheduled FAIL verified a day after its last change; each test overrides what it is about. */
import type { Finding } from '../../src/compliance/findings.ts';

export function aFinding(over: Partial<Finding> = {}): Finding {
  return {
    accountId: '111111111111',
    region: 'us-east-1',
    resourceId: 'arn:aws:s3:::bucket',
    resourceType: 'AWS.S3.Bucket',
    policyId: 'AWS.S3.Bucket.Encryption',
    title: null,
    severity: 'Medium',
    status: 'FAIL',
    suppressed: false,
    suppressedBy: null,
    errorMessage: null,
    trigger: 'scheduled',
    lastChanged: '2026-06-14T10:00:00.000Z',
    provenance: null,
    cause: null,
    lastVerified: '2026-06-15T10:00:00.000Z',
    verifiedBy: 'scheduled',
    description: null,
    runbook: null,
    reference: null,
    ...over,
  };
}

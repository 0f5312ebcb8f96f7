/** The sample alert a destination test delivers: no resource is affected, and it says so. */
import type { Severity } from '#core/types.ts';
import type { AlertPayload } from './alert-payload.ts';

/** Where the test is sent from: the stack (or local runtime) name, its account and region. */
export interface TestAlertSource {
  name: string;
  securityAccountId: string;
  region: string;
}

/** A realistic alert for `destinations test` (marked as a test in title and trigger); `posture destinations test` and the console send it. */
export function sampleAlert(target: TestAlertSource, severity: Severity, now: Date): AlertPayload {
  const bucket = 'posture-destination-test';
  return {
    kind: 'opened',
    alertKey: `Posture.DestinationTest#arn:aws:s3:::${bucket}`,
    title: `Test alert from posture destinations test (${target.name})`,
    severity,
    policyId: 'Posture.DestinationTest',
    description: 'A test delivery: if you can read this, the destination is configured correctly. No resource is affected.',
    runbook: 'No action needed.',
    reference: 'https://github.com/',
    accountId: target.securityAccountId,
    region: target.region,
    resourceId: `arn:aws:s3:::${bucket}`,
    resourceType: 'AWS.S3.Bucket',
    trigger: 'test',
    provenance: null,
    cause: null,
    openedAt: now.toISOString(),
    resolvedAt: null,
    firstSeen: now.toISOString(),
    resource: { ResourceId: `arn:aws:s3:::${bucket}`, ResourceType: 'AWS.S3.Bucket', Name: bucket, AccountId: target.securityAccountId, Region: target.region } as AlertPayload['resource'],
  };
}


/**
 * The deployed console's engine port (lambdas/runtime/engine-policy-engine.ts) against moto: the
 * engine function's handler (python-runtime/posture_engine/lambda_handler.py) answers each request
 * in a fresh Python process with the function's environment — the built-in bundle, the policy
 * bucket's active key and draft prefix — standing in for the Invoke (the rehearsal runs the
 * deployed function itself). Open a built-in policy, run a draft's tests, evaluate it, preview
 * publishing it (+N failures, by upload's computeImpact) and publish it: the active key holds the
 * staged bundle, the stored compliance changed, and the engine answers with the new pack.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, HeadObjectCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { DraftError, StalePreviewError, type PolicyEngine } from '../../../src/console/policy-engine.ts';
import type { PolicyDraft } from '../../../src/console/contract/detections.ts';
import { projectRoot, pythonExecutable } from '../../../src/core/paths.ts';
import type { Resource } from '../../../src/core/resource.ts';
import { ensureTables } from '../../../src/local/bootstrap.ts';
import { ACTIVE_BUNDLE_KEY, DRAFTS_PREFIX } from '../../../src/publish/active-bundle.ts';
import { policyTemplate } from '../../../src/publish/policy-template.ts';
import { RequestEvaluator, type EngineRequest } from '../../../src/scan/evaluators.ts';
import { S3BlobStore } from '../../../src/store/blob-store.ts';
import { ComplianceStore } from '../../../src/store/compliance-store.ts';
import { documentClient } from '../../../src/store/dynamo.ts';
import { ExceptionStore } from '../../../src/store/exception-store.ts';
import { ResourceStore } from '../../../src/store/resource-store.ts';
import { enginePolicyEngine } from '../../../lambdas/runtime/engine-policy-engine.ts';
import { accountClients, accountCredentials, motoEndpoint, randomAccountId } from '../../helpers/moto.ts';

const ACCOUNT = '111122223333';
const SCOPE = `${ACCOUNT}#us-east-1#AWS.S3.Bucket`;
const NOW = new Date('2026-03-01T12:00:00Z');
const bucketOf = (n: number): Resource =>
  ({ ResourceId: `arn:aws:s3:::b${n}`, ResourceType: 'AWS.S3.Bucket', AccountId: ACCOUNT, Region: 'us-east-1', Arn: `arn:aws:s3:::b${n}`, Id: null, Name: `b${n}`, TimeCreated: null, Tags: n % 2 ? null : { owner: 'team' }, EncryptionRules: null }) as unknown as Resource;

let engine: PolicyEngine;
let request: EngineRequest;
let compliance: ComplianceStore;
let s3: S3Client;
let policyBucket: string;

/** The engine function's handler, one process per request, with the function's environment. */
function engineFunction(env: Record<string, string>): EngineRequest {
  const script = 'import json, sys\nfrom posture_engine.lambda_handler import handler\nsys.stdout.write(json.dumps(handler(json.load(sys.stdin), None)))';
  return (payload) =>
    new Promise((resolve, reject) => {
      const child = spawn(pythonExecutable(), ['-c', script], { env: { PATH: process.env.PATH ?? '', PYTHONPATH: join(projectRoot, 'python-runtime'), ...env } });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => err.push(b));
      child.on('error', reject);
      child.on('close', (code) => {
        if (code !== 0) reject(new Error(`engine function failed: ${Buffer.concat(err).toString().trim().split('\n').at(-1)}`));
        else resolve(JSON.parse(Buffer.concat(out).toString()) as unknown);
      });
      child.stdin.end(JSON.stringify(payload));
    });
}

beforeAll(async () => {
  const accountId = randomAccountId();
  const clients = await accountClients(accountId);
  const tables = await ensureTables(clients, 'epe');
  s3 = clients.get(S3Client);
  policyBucket = `epe-policies-${accountId}`;
  await s3.send(new CreateBucketCommand({ Bucket: policyBucket }));
  await s3.send(new PutBucketVersioningCommand({ Bucket: policyBucket, VersioningConfiguration: { Status: 'Enabled' } }));
  const blobs = `epe-scan-${accountId}`;
  await s3.send(new CreateBucketCommand({ Bucket: blobs }));

  // The built-in bundle the layer ships: the repository's policies, as `posture bundle` writes them.
  const bundle = join(mkdtempSync(join(tmpdir(), 'epe-')), 'bundle.zip');
  const built = spawn(pythonExecutable(), ['-c', `from posture_engine.specs import load_specs\nfrom posture_engine.bundle_zip import write_bundle_zip\nwrite_bundle_zip(load_specs(['${join(projectRoot, 'policies')}']), '${bundle}')`], { env: { PATH: process.env.PATH ?? '', PYTHONPATH: join(projectRoot, 'python-runtime') } });
  await new Promise((resolve) => built.on('close', resolve));

  const credentials = await accountCredentials(accountId);
  request = engineFunction({
    AWS_ENDPOINT_URL: motoEndpoint(),
    AWS_REGION: 'us-east-1',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: credentials.sessionToken ?? '',
    POSTURE_BUNDLE: bundle,
    POSTURE_ACTIVE_BUNDLE_BUCKET: policyBucket,
    POSTURE_ACTIVE_BUNDLE_KEY: ACTIVE_BUNDLE_KEY,
    POSTURE_DRAFTS_PREFIX: DRAFTS_PREFIX,
    POSTURE_BUNDLE_TTL: '30',
  });

  const doc = documentClient(clients);
  const resources = new ResourceStore(doc, tables.Resources, new S3BlobStore(clients, blobs));
  compliance = new ComplianceStore(doc, { compliance: tables.Compliance, alerts: tables.Alerts });
  // Four stored buckets (b1 and b3 untagged), their compliance as a scan with the built-in pack left it.
  const stored = [0, 1, 2, 3].map(bucketOf);
  for (const r of stored) await resources.putIfChanged(r, SCOPE, NOW);
  const results = await new RequestEvaluator(request).evaluate(stored);
  for (const r of stored) {
    await compliance.apply({ resourceId: r.ResourceId, resourceType: r.ResourceType, accountId: ACCOUNT, region: 'us-east-1', scope: SCOPE }, results.filter((x) => x.resourceId === r.ResourceId), 'scheduled', NOW);
  }
  engine = enginePolicyEngine({ request, s3, bucket: policyBucket, resources, compliance, exceptions: new ExceptionStore(doc, tables.Exceptions), clock: { now: () => NOW } });
}, 120_000);

const template = policyTemplate('AWS.S3.Bucket') as PolicyDraft;

describe('the deployed engine port', () => {
  it("opens a built-in policy of the running bundle: its spec's fields and source", async () => {
    const policy = await engine.policy('AWS.S3.Bucket.Encryption');
    expect(policy?.spec.PolicyID).toBe('AWS.S3.Bucket.Encryption');
    expect(policy?.spec.ResourceTypes).toEqual(['AWS.S3.Bucket']);
    expect(policy?.source).toContain('ENCRYPTING_ALGORITHMS');
    expect(await engine.policy('No.Such.Policy')).toBeNull();
  });

  it("runs a draft's tests in the engine, PAT style, and reports a wrong verdict", async () => {
    expect(await engine.runTests(template)).toMatchObject({ passed: 2, failed: 0, errors: [] });
    const wrong = await engine.runTests({ ...template, source: 'def policy(resource):\n    return True\n' });
    expect(wrong).toMatchObject({ passed: 1, failed: 1 });
    expect(wrong.cases.find((c) => !c.passed)).toMatchObject({ name: 'Untagged resource fails', expected: false, status: 'PASS' });
    const invalid = await engine.runTests({ ...template, spec: { ...template.spec, Severity: 'Severe' } });
    expect(invalid.errors[0]).toMatch(/^custom_aws_s3_bucket_newpolicy\.json: Severity: .Severe. is not one of/);
  });

  it('evaluates the draft alone on stored resources; a draft that does not load is a DraftError', async () => {
    const results = await engine.evaluate(template, [0, 1].map(bucketOf));
    expect(results.map((r) => [r.resourceId, r.policyId, r.status])).toEqual([
      ['arn:aws:s3:::b0', template.spec.PolicyID, 'PASS'],
      ['arn:aws:s3:::b1', template.spec.PolicyID, 'FAIL'],
    ]);
    await expect(engine.evaluate({ ...template, source: 'def policy(resource)\n' }, [bucketOf(0)])).rejects.toThrow(DraftError);
  });

  it('previews publishing a new policy (+2 failures) and publishes only with the previewed hashes', async () => {
    const preview = await engine.preview(template);
    expect(preview.unchanged).toBe(false);
    expect(preview.resources).toBe(4);
    expect(preview.policies).toEqual([
      { policyId: template.spec.PolicyID, change: 'added', evaluated: 4, newFailures: ['arn:aws:s3:::b1', 'arn:aws:s3:::b3'], resolved: [], suppressedByException: [], newErrors: [] },
    ]);
    expect(preview.totals).toEqual({ newFailures: 2, resolved: 0, suppressedByException: 0, newErrors: 0 });
    // The preview's merged bundle is staged under the draft prefix, by its content hash.
    await s3.send(new HeadObjectCommand({ Bucket: policyBucket, Key: `${DRAFTS_PREFIX}${preview.hash.toHash}.zip` }));

    await expect(engine.publish(template, { ...preview.hash, toHash: 'f'.repeat(64) })).rejects.toThrow(StalePreviewError);
    // A failing test publishes nothing, whatever the hashes.
    await expect(engine.publish({ ...template, source: 'def policy(resource):\n    return True\n' }, preview.hash)).rejects.toThrow(/tests fail/);

    const published = await engine.publish(template, preview.hash);
    expect(published).toMatchObject({ contentHash: preview.hash.toHash, written: { changed: 4, removed: 0, alertsOpened: 2, alertsResolved: 0 } });
    expect(published.versionId).toBeTruthy();
    const head = await s3.send(new HeadObjectCommand({ Bucket: policyBucket, Key: ACTIVE_BUNDLE_KEY }));
    expect(head.Metadata?.['content-hash']).toBe(preview.hash.toHash);
    const stored = await compliance.forResource('arn:aws:s3:::b3');
    expect(stored.get(template.spec.PolicyID)).toMatchObject({ status: 'FAIL' });

    // The engine evaluates with the published pack at once: the same draft is now the active one,
    // and the old preview is stale.
    expect((await engine.policy(template.spec.PolicyID))?.source).toBe(template.source);
    await expect(engine.publish(template, preview.hash)).rejects.toThrow(StalePreviewError);
  });
});

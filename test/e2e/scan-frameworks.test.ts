/**
 * `posture scan --frameworks` as a user runs it, on the shared moto server (the estate helpers of
 * scan-cli.test.ts): only the policies of the chosen frameworks produce results, the policies left
 * out produce none, an unknown name is one usage line (exit 2), and --list-policies lists the
 * selection with a count line.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { beforeAll, describe, expect, it } from 'vitest';
import { createClients } from '../../src/aws/clients.ts';
import { chooseFrameworks } from '../../src/compliance/frameworks/selection.ts';
import { BUILTIN_PACK, readCatalog } from '../../src/cli/policy-catalog.ts';
import { EMULATOR_CLIENT_OPTIONS } from '../../src/local/emulator-retry.ts';
import { motoEndpoint } from '../helpers/moto.ts';
import { runPosture, type CliRun } from '../helpers/cli.ts';

const FSBP = 'AWS Foundational Security Best Practices';
const bucketName = `psf-${Math.random().toString(36).slice(2, 8)}`;

function posture(args: string[]): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { ...process.env, AWS_ENDPOINT_URL: motoEndpoint(), AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: 'us-east-1' };
  delete env.AWS_SESSION_TOKEN;
  delete env.AWS_PROFILE;
  return runPosture(['scan', ...args], env);
}

describe('posture scan --frameworks', () => {
  let tmp: string;

  beforeAll(async () => {
    tmp = await mkdtemp(join(tmpdir(), 'posture-scan-frameworks-'));
    const clients = createClients({ region: 'us-east-1', endpoint: motoEndpoint(), credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, ...EMULATOR_CLIENT_OPTIONS });
    await clients.get(S3Client).send(new CreateBucketCommand({ Bucket: bucketName }));
  });

  it.concurrent('evaluates only the policies of the chosen frameworks', { timeout: 180_000 }, async () => {
    const out = join(tmp, 'cis');
    const r = await posture(['--frameworks', 'cis-3.0', '--regions', 'us-east-1', '--types', 'AWS.S3.Bucket', '--out', out, '--json']);
    expect([0, 1, 3]).toContain(r.code);
    const doc = JSON.parse(r.stdout) as { frameworks: { chosen: string[]; all: boolean; policiesLeftOut: string[] } };

    // What the engine was told, read the same way: the bucket policies of the pack, selected or not.
    const catalog = readCatalog(BUILTIN_PACK, chooseFrameworks(['cis-3.0'])).policies.filter((p) => p.enabled || p.selected === false);
    const onBuckets = catalog.filter((p) => p.resourceTypes.length === 0 || p.resourceTypes.includes('AWS.S3.Bucket'));
    const selected = new Set(onBuckets.filter((p) => p.selected).map((p) => p.policyId));
    const leftOut = onBuckets.filter((p) => p.selected === false).map((p) => p.policyId);
    // Not vacuous: FSBP-only bucket policies exist and are left out; CIS v3.0 ones are kept.
    expect(leftOut.length).toBeGreaterThan(0);
    expect(onBuckets.filter((p) => p.selected === false).every((p) => Object.keys(p.reports).length > 0 && !('CIS AWS Foundations 3.0' in p.reports))).toBe(true);
    expect(onBuckets.some((p) => p.reports[FSBP] && p.selected === false)).toBe(true);
    expect(selected.size).toBeGreaterThan(0);

    expect(doc.frameworks).toMatchObject({ chosen: ['cis-3.0'], all: false });
    expect(doc.frameworks.policiesLeftOut).toEqual(expect.arrayContaining(leftOut));

    const findings = JSON.parse(await readFile(join(out, 'findings.json'), 'utf8')) as { resourceId: string; policyId: string }[];
    const mine = findings.filter((f) => f.resourceId === `arn:aws:s3:::${bucketName}`);
    // Every selected bucket policy judged the new bucket; no policy left out did.
    expect(new Set(mine.map((f) => f.policyId))).toEqual(selected);
    expect(findings.filter((f) => leftOut.includes(f.policyId))).toEqual([]);
  });

  it.concurrent('refuses an unknown framework in one line, exit 2, before scanning', { timeout: 60_000 }, async () => {
    const r = await posture(['--frameworks', 'fsbp,nope', '--out', join(tmp, 'nope')]);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^posture scan: --frameworks: 'nope' is not a known framework; known: all, cis \(every version\), .*cis-3\.0 /);
    expect(r.stdout).toBe('');
  });

  it.concurrent('--list-policies lists the selected policies and a count line', { timeout: 60_000 }, async () => {
    const r = await posture(['--list-policies', '--frameworks', 'fsbp']);
    expect(r.code).toBe(0);
    const all = readCatalog(BUILTIN_PACK).policies;
    const fsbp = all.filter((p) => Object.keys(p.reports).length === 0 || FSBP in p.reports);
    expect(r.stdout.trim().split('\n').at(-1)).toBe(`${fsbp.length} of ${all.length} policies selected by --frameworks fsbp (${all.length - fsbp.length} left out; policies without Reports always run)`);
    expect(r.stdout).toContain(fsbp[0]!.policyId);
    expect(r.stdout).not.toMatch(/^AWS\.PasswordPolicy\.PasswordMaxAge\s/m); // CIS v1.2.0 only
  });
});

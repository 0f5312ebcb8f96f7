/**
 * bench:peers' own parts that decide its verdicts: how each tool's output is read back into the
 * compared checks (from files laid out as each tool writes them), the agreement check, and the
 * counting proxy in front of the real emulator (requests, services, errors, busy time).
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { compareFlagged, emptyFlagged } from '../../../bench/peers-estate.ts';
import { startCountingProxy, type CountingProxy } from '../../../bench/peers-proxy.ts';
import { custodian, estateId, posture, prowler } from '../../../bench/peers-tools.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'peers-test-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('bench:peers output readers', () => {
  it('estateId: buckets by name, IAM policies by ARN, the rest by the ARN’s last segment', () => {
    expect(estateId('arn:aws:s3:::peers-bucket-0000')).toBe('peers-bucket-0000');
    expect(estateId('arn:aws:iam::123456789012:policy/team/admin')).toBe('arn:aws:iam::123456789012:policy/team/admin');
    expect(estateId('arn:aws:ec2:eu-west-1:123456789012:security-group/sg-1')).toBe('sg-1');
    expect(estateId('arn:aws:cloudtrail:us-east-1:123456789012:trail/t-0')).toBe('t-0');
    expect(estateId('sg-2')).toBe('sg-2');
  });

  it('Posture: FAIL findings of the compared policies only', async () => {
    const out = join(dir, 'posture');
    await mkdir(out, { recursive: true });
    await writeFile(join(out, 'findings.json'), JSON.stringify([
      { policyId: 'AWS.EC2.SecurityGroup.SSHOpenToWorld', resourceId: 'arn:aws:ec2:us-east-1:123456789012:security-group/sg-1', status: 'FAIL' },
      { policyId: 'AWS.EC2.SecurityGroup.SSHOpenToWorld', resourceId: 'arn:aws:ec2:us-east-1:123456789012:security-group/sg-2', status: 'PASS' },
      { policyId: 'AWS.S3.Bucket.Encryption', resourceId: 'arn:aws:s3:::b', status: 'FAIL' },
      { policyId: 'AWS.S3.Bucket.PublicAccessBlock', resourceId: 'arn:aws:s3:::b', status: 'FAIL' },
    ]));
    const f = posture.flagged(out);
    expect([...f.sg_ssh_open]).toEqual(['sg-1']);
    expect([...f.s3_no_public_access_block]).toEqual(['b']);
    expect(f.kms_rotation_off.size).toBe(0);
  });

  it('Prowler: FAIL findings of the mapped checks, from its OCSF file', async () => {
    const out = join(dir, 'prowler');
    await mkdir(out, { recursive: true });
    const finding = (code: string, status: string, uid: string) => ({ status_code: status, metadata: { event_code: code }, resources: [{ uid }] });
    await writeFile(join(out, 'peers.ocsf.json'), JSON.stringify([
      finding('kms_cmk_rotation_enabled', 'FAIL', 'arn:aws:kms:eu-west-1:123456789012:key/k-1'),
      finding('kms_cmk_rotation_enabled', 'PASS', 'arn:aws:kms:eu-west-1:123456789012:key/k-2'),
      finding('iam_customer_attached_policy_no_administrative_privileges', 'FAIL', 'arn:aws:iam::123456789012:policy/p'),
      finding('iam_customer_unattached_policy_no_administrative_privileges', 'FAIL', 'arn:aws:iam::123456789012:policy/q'),
    ]));
    const f = prowler.flagged(out);
    expect([...f.kms_rotation_off]).toEqual(['k-1']);
    expect([...f.iam_admin_policy_attached]).toEqual(['arn:aws:iam::123456789012:policy/p']);
  });

  it('Custodian: resources.json of each check in each region directory', async () => {
    const out = join(dir, 'custodian');
    for (const [region, vpc] of [['us-east-1', 'vpc-1'], ['eu-west-1', 'vpc-2']] as const) {
      await mkdir(join(out, region, 'vpc_no_flow_logs'), { recursive: true });
      await writeFile(join(out, region, 'vpc_no_flow_logs', 'resources.json'), JSON.stringify([{ VpcId: vpc }]));
    }
    await mkdir(join(out, 'us-east-1', 'trail_no_log_validation'), { recursive: true });
    await writeFile(join(out, 'us-east-1', 'trail_no_log_validation', 'resources.json'), JSON.stringify([{ Name: 't-0', TrailARN: 'arn:aws:cloudtrail:us-east-1:123456789012:trail/t-0' }]));
    const f = custodian.flagged(out);
    expect([...f.vpc_no_flow_logs].sort()).toEqual(['vpc-1', 'vpc-2']);
    expect([...f.trail_no_log_validation]).toEqual(['t-0']);
  });

  it('compareFlagged names each missing and extra ID per tool and check', () => {
    const expected = emptyFlagged();
    expected.sg_ssh_open.add('sg-1').add('sg-2');
    const exact = emptyFlagged();
    exact.sg_ssh_open.add('sg-1').add('sg-2');
    const off = emptyFlagged();
    off.sg_ssh_open.add('sg-1').add('sg-9');
    expect(compareFlagged(expected, { exact }).all_agree).toBe(true);
    const r = compareFlagged(expected, { exact, off });
    expect(r.all_agree).toBe(false);
    expect(r.disagreements).toEqual([{ tool: 'off', check: 'sg_ssh_open', missing: ['sg-2'], extra: ['sg-9'] }]);
  });
});

describe('bench:peers counting proxy', () => {
  let proxy: CountingProxy;
  beforeAll(async () => {
    proxy = await startCountingProxy(inject('motoEndpoint'));
  });
  afterAll(() => proxy.close());

  it('counts requests per service and error answers, and the time moto was serving', async () => {
    const config = { region: 'us-east-1', endpoint: proxy.endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, maxAttempts: 1 };
    const sts = new STSClient(config);
    await Promise.all([1, 2, 3].map(() => sts.send(new GetCallerIdentityCommand({}))));
    const s3 = new S3Client({ ...config, forcePathStyle: true });
    await expect(s3.send(new GetObjectCommand({ Bucket: 'peers-no-such-bucket', Key: 'k' }))).rejects.toThrow();
    const stats = proxy.take();
    expect(stats.requests).toBe(4);
    expect(stats.byService).toEqual({ sts: 3, s3: 1 });
    expect(stats.errors).toBe(1);
    expect(stats.busySeconds).toBeGreaterThan(0);
    expect(proxy.take().requests).toBe(0);
  });
});

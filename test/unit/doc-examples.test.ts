/** The checked-in example resources match the registry's documented attributes, and the
 *  normalisation that keeps them stable is deterministic. */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXAMPLES_DIR, readDocExamples } from '../../src/cli/resource-examples.ts';
import { DOCUMENTED_EXAMPLES, EMULATOR_GAPS } from '../../src/local/example-documented.ts';
import { EXAMPLE_EPOCH, normaliseExample } from '../../src/local/example-normalise.ts';
import { REGISTRY } from '../../src/resources/index.ts';
import { COMMON_KEYS } from '../helpers/intercept.ts';

const types = REGISTRY.map((t) => t.type).sort();

describe('docs/resources/examples', () => {
  const examples = readDocExamples();

  it('holds one example per registry type and nothing else', () => {
    expect(readdirSync(EXAMPLES_DIR).sort()).toEqual(types.map((t) => `${t}.json`).sort());
  });

  it('each example has exactly the common keys and the type\'s documented attributes (run npm run docs:examples)', () => {
    for (const t of REGISTRY) {
      const example = JSON.parse(examples.get(t.type)!) as Record<string, unknown>;
      const documented = [...COMMON_KEYS, ...t.attributes.map((a) => a.name)].sort();
      const keys = Object.keys(example).sort();
      expect(keys.filter((k) => !documented.includes(k)), `${t.type}: undocumented attributes`).toEqual([]);
      expect(documented.filter((k) => !keys.includes(k)), `${t.type}: documented attributes missing from the example`).toEqual([]);
      expect(example.ResourceType).toBe(t.type);
      expect(example.AccountId).toBe('123456789012');
    }
  });

  it('marks documented-response examples only for registry types', () => {
    for (const type of Object.keys(DOCUMENTED_EXAMPLES)) expect(types).toContain(type);
  });

  it('notes emulator gaps only for attributes the example really leaves null', () => {
    for (const [type, gap] of Object.entries(EMULATOR_GAPS)) {
      const example = JSON.parse(examples.get(type)!) as Record<string, unknown>;
      for (const a of gap.attributes) expect(example[a], `${type}.${a} is no longer null: drop the note`).toBeNull();
    }
  });
});

describe('normaliseExample', () => {
  const runStart = Date.UTC(2029, 4, 17, 23, 59, 50);
  const scanned = {
    ResourceId: 'arn:aws:ec2:us-east-1:123456789012:instance/i-0a1b2c3d4e5f60718',
    Id: 'i-0a1b2c3d4e5f60718',
    TimeCreated: '2029-05-18T00:00:03.123Z',
    NotAfter: '2030-05-17T23:59:55Z',
    Never: '0001-01-01T00:00:00Z',
    Documented: '2019-02-03T04:05:06.000Z',
    CreationTime: runStart + 5000,
    Size: 50,
    KmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/3f1c9a2e-7b4d-4e8f-a6c5-0d9e8f7a6b5c',
    UserId: 'qhr7677g7ryssxdx56se',
    Owner: { UserId: 'qhr7677g7ryssxdx56se' },
    SecurityGroups: [{ GroupName: 'web', GroupId: 'sg-9f8e7d6c5b4a39281' }, { GroupName: 'default', GroupId: 'sg-1a2b3c4d5e6f70819' }],
    SharedWith: [{ UserId: '111122223333', Group: null }],
    Outputs: ['arn:aws:sns:us-east-1:123456789012:app-Topic-SWITRZJNKDBU', 'arn:aws:sns:us-east-1:123456789012:app-Queue-8UO054ENI7K1', 'posture-example-logs-123456789012'],
  };

  it('maps the run\'s times to the example epoch by whole days and leaves fixed dates alone', () => {
    const out = normaliseExample(scanned, runStart) as Record<string, unknown>;
    expect(out.TimeCreated).toBe('2026-01-01T00:00:00.000Z');
    expect(out.NotAfter).toBe('2027-01-01T00:00:00Z');
    expect(out.CreationTime).toBe(EXAMPLE_EPOCH);
    expect(out.Never).toBe('0001-01-01T00:00:00Z');
    expect(out.Documented).toBe('2019-02-03T04:05:06.000Z');
    expect(out.Size).toBe(50);
  });

  it('replaces generated IDs consistently and sorts unordered lists by content', () => {
    const out = normaliseExample(scanned, runStart) as Record<string, unknown>;
    expect(out.Id).toBe('i-00000000000000001');
    expect(out.ResourceId).toBe('arn:aws:ec2:us-east-1:123456789012:instance/i-00000000000000001');
    expect(out.KmsKeyId).toBe('arn:aws:kms:us-east-1:123456789012:key/00000000-0000-4000-8000-000000000001');
    expect(out.UserId).toBe('AIDAEXAMPLE0000000001');
    expect(out.Owner).toEqual({ UserId: 'AIDAEXAMPLE0000000001' });
    expect((out.SecurityGroups as { GroupName: string }[]).map((g) => g.GroupName)).toEqual(['default', 'web']);
    // An account ID under a key that usually holds generated IAM IDs is kept.
    expect(out.SharedWith).toEqual([{ UserId: '111122223333', Group: null }]);
    // CloudFormation physical-name suffixes, letters only or mixed; an account ID is not one.
    expect(out.Outputs).toEqual([
      'arn:aws:sns:us-east-1:123456789012:app-Topic-EXAMPLE00001',
      'arn:aws:sns:us-east-1:123456789012:app-Queue-EXAMPLE00002',
      'posture-example-logs-123456789012',
    ]);
  });

  it('gives the same text for another run with other IDs and times', () => {
    const later = runStart + 3 * 86_400_000 + 7_000;
    const other = JSON.parse(
      JSON.stringify(scanned)
        .replaceAll('0a1b2c3d4e5f60718', '77777777777777777')
        .replaceAll('qhr7677g7ryssxdx56se', 'zzz0000aaaa1111bbbb2')
        .replaceAll('3f1c9a2e-7b4d-4e8f-a6c5-0d9e8f7a6b5c', '11111111-2222-4333-8444-555555555555')
        .replaceAll('sg-9f8e7d6c5b4a39281', 'sg-00000000000000fff')
        .replaceAll('2029-05-18T00:00:03.123Z', '2029-05-21T00:00:10.999Z')
        .replaceAll('2030-05-17T23:59:55Z', '2030-05-20T23:59:59Z'),
    ) as typeof scanned;
    other.CreationTime = later + 1000;
    expect(JSON.stringify(normaliseExample(other, later))).toBe(JSON.stringify(normaliseExample(scanned, runStart)));
  });

  it('masks the application services\' generated IDs and the emulator\'s EMR instance addresses', () => {
    const emr = (cluster: string, ip: string, publicIp: string) => ({
      ResourceId: `arn:aws:elasticmapreduce:us-east-1:123456789012:cluster/${cluster}`,
      MasterPublicDnsName: `ec2-${publicIp.replaceAll('.', '-')}.us-east-1.compute-1.amazonaws.com`,
      MasterInstances: [{ PrivateIpAddress: ip, PrivateDnsName: `ip-${ip.replaceAll('.', '-')}.ec2.internal`, PublicIpAddress: publicIp }],
      Api: 'arn:aws:apigateway:us-east-1::/restapis/ab12cd34ef',
      Zone: 'arn:aws:route53:::hostedzone/R2C1EYA0QI9V6OOBIFBHTJ',
      Broker: 'arn:aws:mq:us-east-1:123456789012:broker:e432f5',
    });
    const a = normaliseExample(emr('j-2HY0O7IOL6ZYA', '10.44.132.40', '54.214.142.144'), runStart);
    const b = normaliseExample(emr('j-8PBDTTSQD705G', '10.76.117.195', '54.214.42.130'), runStart);
    expect(a).toEqual(b);
    expect(a).toEqual({
      ResourceId: 'arn:aws:elasticmapreduce:us-east-1:123456789012:cluster/j-EXAMPLE000001',
      MasterPublicDnsName: 'ec2-54-214-0-1.us-east-1.compute-1.amazonaws.com',
      MasterInstances: [{ PrivateIpAddress: '10.0.0.1', PrivateDnsName: 'ip-10-0-0-1.ec2.internal', PublicIpAddress: '54.214.0.1' }],
      Api: 'arn:aws:apigateway:us-east-1::/restapis/example001',
      Zone: 'arn:aws:route53:::hostedzone/Z00000000000000000001',
      Broker: 'arn:aws:mq:us-east-1:123456789012:broker:000001',
    });
  });
});

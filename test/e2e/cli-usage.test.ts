/** The CLI's usage errors through the real binary: one exit code (2) for every kind, the typo named with a suggestion. */
import { describe, expect, it } from 'vitest';
import { runPosture } from '../helpers/cli.ts';

const posture = (...args: string[]) => runPosture(args, { ...process.env, AWS_REGION: 'us-east-1' });

describe('usage errors exit 2', () => {
  it.each([
    // commander's own errors (it exits 1 for some by default)
    [['bundle', 'policies'], /error: required option '--out <file>' not specified/],
    [['templates', '--external-id', 'x'], /error: required option '--security-account <id>' not specified/],
    [['findings', '--bogus'], /error: unknown option '--bogus'/],
    [['findings', '--format', 'xml'], /Allowed choices are table, json, csv, ocsf, asff/],
    [['status', '--json', '--format', 'text'], /--json is --format json; it contradicts --format text/],
    [[], /Usage: posture \[options\] \[command\]/],
    // a typo in a list flag, before any target is contacted
    [['scan', '--types', 'AWS.S3.Bucketz'], /unknown resource type 'AWS\.S3\.Bucketz'; did you mean AWS\.S3\.Bucket\?/],
    [['resources', 'list', '--endpoint', 'http://127.0.0.1:1', '--type', 'ec3'], /unknown resource type 'ec3'; did you mean ec2 or ecr or ecs\?/],
    [['findings', '--endpoint', 'http://127.0.0.1:1', '--min-severity', 'hgh'], /'hgh' is not one of Info, Low, Medium, High, Critical; did you mean High\?/],
    [['compliance', '--endpoint', 'http://127.0.0.1:1', '--accounts', '12345'], /'12345' is not a 12-digit AWS account ID/],
    [['changes', '--endpoint', 'http://127.0.0.1:1', '--since', '3w'], /option '--since <when>' argument '3w' is invalid\. '3w' is neither a duration like 30d, 24h or 90m nor an ISO time/],
    [['resources', 'history', 'sg-1', '--endpoint', 'http://127.0.0.1:1', '--since', 'yesterday'], /'yesterday' is neither a duration like 30d, 24h or 90m nor an ISO time/],
    // an ID missing, or given twice differently
    [['accounts', 'verify', '--endpoint', 'http://127.0.0.1:1'], /error: missing the account to verify: give it as the argument or as --id/],
    [['resources', 'history', '--endpoint', 'http://127.0.0.1:1'], /error: missing the resource ID \(as listed\): give it as the argument or as --id/],
    [['exceptions', 'remove', 'exc-1', '--id', 'exc-2', '--endpoint', 'http://127.0.0.1:1'], /error: two IDs given: 'exc-1' and --id 'exc-2'/],
    // the Python runner's own usage error
    [['test', 'policies', '--no-install', '--filter', 'Severty=High'], /^posture test: error: argument --filter: unknown spec field 'Severty'; did you mean Severity\?$/m],
  ])('posture %j', async (args, said) => {
    const r = await posture(...args);
    expect(r.stderr).toMatch(said);
    expect(r.stdout).toBe('');
    expect(r.code).toBe(2);
  });

  it('help is not an error', async () => {
    const r = await posture('findings', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--min-severity <severity>/);
    // The old singular spellings still parse but are no longer advertised.
    expect(r.stdout).not.toMatch(/--severity|--policy |--account /);
  });
});

describe('posture list', () => {
  it('lists the registry types with their --types service shorthand, as a table or JSON', async () => {
    const json = await posture('list', 'types', '--json');
    expect(json.code).toBe(0);
    const types = JSON.parse(json.stdout) as { type: string; service: string; scope: string }[];
    expect(types).toContainEqual({ type: 'AWS.S3.Bucket', service: 's3', scope: 'global' });
    expect(types).toContainEqual({ type: 'AWS.EC2.Instance', service: 'ec2', scope: 'regional' });
    const table = await posture('list', 'frameworks');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^ID \(--framework\) +NAME/);
    expect(table.stdout).toMatch(/\ncis-3\.0 +CIS AWS Foundations Benchmark v3\.0\.0 +62 /);
  });

  it('lists the built-in pack policies', async () => {
    const r = await posture('list', 'policies', '--format', 'json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { policies: { policyId: string; severity: string }[] };
    expect(doc.policies.length).toBeGreaterThan(20);
    expect(doc.policies.map((p) => p.policyId)).toContain('AWS.EC2.SecurityGroup.SSHOpenToWorld');
  });

  it('posture scan --list-types and --list-policies print the same lists, with --policies added, and scan nothing', async () => {
    const types = await posture('scan', '--list-types', '--json');
    expect(types.code).toBe(0);
    expect(JSON.parse(types.stdout)).toEqual(JSON.parse((await posture('list', 'types', '--json')).stdout));
    // `posture list policies` is the whole pack; a scan runs the frameworks chosen (default cis,fsbp), all of them with `all`.
    const builtin = JSON.parse((await posture('scan', '--list-policies', '--frameworks', 'all', '--json')).stdout) as { policies: { policyId: string }[] };
    expect(builtin.policies.map((p) => p.policyId)).toEqual((JSON.parse((await posture('list', 'policies', '--json')).stdout) as typeof builtin).policies.map((p) => p.policyId));
    const bad = await posture('scan', '--list-policies', '--policies', '/nonexistent-pack');
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/^posture scan: .*nonexistent-pack/);
  }, 120_000); // five CLI processes one after another, with another test file running beside them
});

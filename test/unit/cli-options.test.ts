/** The CLI's one option vocabulary (src/cli/commands/options.ts), parsed by commander without a process. */
import { Command, CommanderError } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import {
  addAccountsOption,
  addFormatOptions,
  addIdArgument,
  addMinSeverityOption,
  addPoliciesOption,
  addRegionsOption,
  addTargetOptions,
  addTypesOption,
  expandTypes,
  idOf,
  typeList,
  unknownPoliciesProblem,
} from '../../src/cli/commands/options.ts';
import { closestNames, didYouMean } from '../../src/cli/did-you-mean.ts';
import { parseScanOptions } from '../../src/cli/scan.ts';
import { REGISTRY } from '../../src/resources/index.ts';

/** A verb with every shared option; errors throw (CommanderError) instead of exiting. */
function verb(): { cmd: Command; seen: () => { args: unknown[]; opts: Record<string, unknown> } } {
  let args: unknown[] = [];
  const cmd = new Command('verb').exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
  addAccountsOption(cmd, 'accounts', 'account');
  addTypesOption(cmd, undefined, 'type');
  addRegionsOption(cmd, 'regions', { global: true });
  addPoliciesOption(cmd, 'policies', 'policy');
  addMinSeverityOption(cmd);
  addFormatOptions(cmd, ['table', 'json', 'csv'], 'table');
  addTargetOptions(addIdArgument(cmd, 'the thing')).action((...a: unknown[]) => {
    args = a;
  });
  return { cmd, seen: () => ({ args, opts: cmd.opts() }) };
}

const parse = (...argv: string[]) => {
  const v = verb();
  v.cmd.parse(argv, { from: 'user' });
  return v.seen().opts;
};

const usageError = (...argv: string[]): CommanderError => {
  try {
    parse(...argv);
  } catch (err) {
    if (err instanceof CommanderError) return err;
    throw err;
  }
  throw new Error(`parsed without an error: ${argv.join(' ')}`);
};

const savedProfile = process.env.AWS_PROFILE;
afterEach(() => {
  if (savedProfile === undefined) delete process.env.AWS_PROFILE;
  else process.env.AWS_PROFILE = savedProfile;
});

describe('plural list flags', () => {
  it('take repeats and commas, drop duplicates, and accept the old singular spelling into the same list', () => {
    expect(parse('--accounts', '111111111111,222222222222', '--account', '333333333333', '--accounts', '111111111111').accounts).toEqual([
      '111111111111',
      '222222222222',
      '333333333333',
    ]);
    expect(parse('--policy', 'A.B', '--policies', 'C.D,E.F').policies).toEqual(['A.B', 'C.D', 'E.F']);
    expect(parse('--regions', 'us-east-1', '--regions', 'global,eu-west-1').regions).toEqual(['us-east-1', 'global', 'eu-west-1']);
  });

  it('reject a malformed account or region as a usage error naming the value', () => {
    expect(usageError('--accounts', '12345').message).toBe("error: option '--accounts <ids>' argument '12345' is invalid. '12345' is not a 12-digit AWS account ID");
    expect(usageError('--regions', 'us-east').message).toMatch(/'us-east' is not a region name like eu-west-1/);
  });
});

describe('--types', () => {
  it('expands a service shorthand to exactly its registry types, and accepts type names in any case', () => {
    const ec2 = REGISTRY.map((t) => t.type).filter((t) => t.startsWith('AWS.EC2.'));
    expect(ec2.length).toBeGreaterThan(3);
    expect(parse('--types', 's3,EC2').types).toEqual(['AWS.S3.Bucket', ...ec2.sort()]);
    expect(parse('--type', 'aws.iam.user', '--types', 'AWS.IAM.User').types).toEqual(['AWS.IAM.User']);
    expect(expandTypes('cloudtrail')).toEqual(['AWS.CloudTrail', 'AWS.CloudTrail.Meta']);
  });

  it('makes a typo an error with a suggestion, never an empty selection', () => {
    expect(usageError('--types', 'AWS.S3.Bucketz').message).toBe(
      "error: option '--types <types>' argument 'AWS.S3.Bucketz' is invalid. unknown resource type 'AWS.S3.Bucketz'; did you mean AWS.S3.Bucket?",
    );
    expect(usageError('--types', 's4').message).toMatch(/unknown resource type 's4'; did you mean s3\?$/);
    expect(usageError('--types', 'Zzzzzzzzzzzzzzzz').message).toMatch(/unknown resource type 'Zzzzzzzzzzzzzzzz'; known: AWS\.ACM\.Certificate, .*, or a service \(acm, /);
  });

  it('is what accounts add --exclude-types takes', () => {
    expect(typeList('kms', typeList('AWS.S3.Bucket'))).toEqual(['AWS.S3.Bucket', 'AWS.KMS.Key']);
    expect(() => typeList('AWS.EC2.AMIs')).toThrow("unknown resource type 'AWS.EC2.AMIs'; did you mean AWS.EC2.AMI?");
  });

  it('is what posture scan validates too', () => {
    expect(parseScanOptions({ out: 'o', types: ['s3', 'AWS.IAM.User'] }).types).toEqual(['AWS.S3.Bucket', 'AWS.IAM.User']);
    expect(parseScanOptions({ out: 'o', types: 'kms,s3' }).types).toEqual(['AWS.KMS.Key', 'AWS.S3.Bucket']);
    expect(() => parseScanOptions({ out: 'o', types: 'AWS.S3.Bucketz' })).toThrow(/^--types: unknown resource type 'AWS.S3.Bucketz'; did you mean AWS.S3.Bucket\?$/);
  });
});

describe('--min-severity', () => {
  it('is canonical whatever the case, and --severity is its alias', () => {
    expect(parse('--min-severity', 'high').minSeverity).toBe('High');
    expect(parse('--severity', 'CRITICAL').minSeverity).toBe('Critical');
    expect(usageError('--min-severity', 'hihg').message).toMatch(/'hihg' is not one of Info, Low, Medium, High, Critical; did you mean High\?$/);
  });
});

describe('--format and --json', () => {
  it('--json is --format json, and --format json sets json for the verbs that read it', () => {
    expect(parse('--json')).toMatchObject({ format: 'json', json: true });
    expect(parse('--format', 'json')).toMatchObject({ format: 'json', json: true });
    expect(parse()).toMatchObject({ format: 'table' });
    expect(parse().json).toBeUndefined();
  });

  it('refuses a contradiction and an unknown format with exit code 2 or commander usage codes', () => {
    const both = usageError('--json', '--format', 'csv');
    expect(both).toMatchObject({ exitCode: 2, message: 'error: --json is --format json; it contradicts --format csv' });
    expect(usageError('--format', 'xml').message).toMatch(/Allowed choices are table, json, csv\.$/);
  });
});

describe('IDs and the target', () => {
  it('takes an ID as the argument or as --id, the same either way', () => {
    const run = (...argv: string[]) => {
      const v = verb();
      v.cmd.parse(argv, { from: 'user' });
      const [positional, opts] = v.seen().args as [string | undefined, { id?: string }];
      return idOf(v.cmd, positional, opts.id);
    };
    expect(run('x-1')).toBe('x-1');
    expect(run('--id', 'x-1')).toBe('x-1');
    expect(run('x-1', '--id', 'x-1')).toBe('x-1');
    expect(() => run('x-1', '--id', 'x-2')).toThrow(expect.objectContaining({ exitCode: 2, message: "error: two IDs given: 'x-1' and --id 'x-2'" }));
    expect(() => run()).toThrow(expect.objectContaining({ exitCode: 2, message: 'error: missing the thing: give it as the argument or as --id' }));
  });

  it('--profile selects the AWS profile the stack is read with', () => {
    expect(parse('--stack', 'Posture', '--profile', 'audit', '--region', 'eu-west-1')).toMatchObject({ stack: 'Posture', profile: 'audit', region: 'eu-west-1' });
    expect(process.env.AWS_PROFILE).toBe('audit');
  });
});

describe('suggestions', () => {
  it('name the closest known names and nothing when none is close', () => {
    expect(closestNames('AWS.S3.Bucketz', ['AWS.S3.Bucket', 'AWS.KMS.Key'])).toEqual(['AWS.S3.Bucket']);
    // Only the closest: a long ID is not matched to every sibling a few edits away.
    expect(closestNames('AWS.EC2.SecurityGroup.SSHOpenToWorldz', ['AWS.EC2.SecurityGroup.RDPOpenToWorld', 'AWS.EC2.SecurityGroup.SSHOpenToWorld'])).toEqual([
      'AWS.EC2.SecurityGroup.SSHOpenToWorld',
    ]);
    expect(closestNames('ec3', ['acm', 'ecs', 'ec2'])).toEqual(['ec2', 'ecs']);
    expect(didYouMean('zzz', ['AWS.S3.Bucket'])).toBe('');
    expect(unknownPoliciesProblem(['AWS.Nope', 'AWS.S3.Bucket.Encryption'], ['AWS.S3.Bucket.Encryption', 'AWS.Nop'], 'the built-in pack')).toBe(
      "unknown policy 'AWS.Nope' in the built-in pack; did you mean AWS.Nop?",
    );
    expect(unknownPoliciesProblem(undefined, ['A'], 'p')).toBeUndefined();
  });
});

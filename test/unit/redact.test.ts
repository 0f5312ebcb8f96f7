/** Secret-bearing attributes (DESIGN §7): declared per type, redacted by the registry's describe. */
import { describe, expect, it } from 'vitest';
import { getResourceType, REGISTRY, redactResource } from '../../src/resources/index.ts';
import { LAMBDA_FUNCTION } from '../../src/resources/lambda-function.ts';
import { parseSecretPath, REDACTED, redactAttributes, withRedaction } from '../../src/resources/redact.ts';
import type { ResourceType, ScanContext } from '../../src/resources/types.ts';
import type { Resource } from '../../src/core/resource.ts';
import { changeHash } from '../../src/store/resource-store.ts';

const base = (type: string, extra: Record<string, unknown>): Resource => ({
  ResourceId: `id-${type}`,
  ResourceType: type,
  TimeCreated: null,
  AccountId: '123456789012',
  Region: 'us-east-1',
  Arn: null,
  Id: null,
  Name: 'x',
  Tags: null,
  ...extra,
});

const fn = (vars: Record<string, string> | null) => base('AWS.Lambda.Function', { Environment: vars ? { Variables: vars, Error: null } : null, Runtime: 'python3.13' });

describe('redactAttributes', () => {
  it('replaces every value of a map, keeps the keys, and never mutates its input', () => {
    const r = fn({ DB_PASSWORD: 'hunter2', STAGE: 'prod' });
    const frozen = JSON.stringify(r);
    const out = redactAttributes(r, ['Environment.Variables.*']);
    expect(out.Environment).toEqual({ Variables: { DB_PASSWORD: REDACTED, STAGE: REDACTED }, Error: null });
    expect(out.Runtime).toBe('python3.13');
    expect(JSON.stringify(r)).toBe(frozen);
  });

  it('walks lists, leaves absent and null values alone, and returns the same object when nothing is secret', () => {
    const stack = base('AWS.CloudFormation.Stack', {
      Parameters: [
        { ParameterKey: 'DbPassword', ParameterValue: 's3cr3t', ResolvedValue: null },
        { ParameterKey: 'Env', ParameterValue: '', UsePreviousValue: null },
      ],
    });
    const out = redactAttributes(stack, ['Parameters[].ParameterValue', 'Parameters[].ResolvedValue']);
    expect(out.Parameters).toEqual([
      { ParameterKey: 'DbPassword', ParameterValue: REDACTED, ResolvedValue: null },
      { ParameterKey: 'Env', ParameterValue: REDACTED, UsePreviousValue: null },
    ]);
    const none = base('AWS.CloudFormation.Stack', { Parameters: null });
    expect(redactAttributes(none, ['Parameters[].ParameterValue'])).toBe(none);
    expect(redactAttributes(fn(null), ['Environment.Variables.*'])).toEqual(fn(null));
    const alb = base('AWS.ELBV2.ApplicationLoadBalancer', { Listeners: [{ Port: 443, DefaultActions: [{ Type: 'forward' }] }] });
    expect(redactAttributes(alb, ['Listeners[].DefaultActions[].AuthenticateOidcConfig.ClientSecret'])).toBe(alb);
  });

  it('reaches nested lists (ECS task container overrides)', () => {
    const cluster = base('AWS.ECS.Cluster', {
      Tasks: [
        { TaskArn: 't1', Overrides: { ContainerOverrides: [{ Name: 'web', Environment: [{ Name: 'API_KEY', Value: 'k-123' }] }, { Name: 'side', Environment: null }] } },
        { TaskArn: 't2', Overrides: { ContainerOverrides: null } },
      ],
    });
    const out = redactAttributes(cluster, getResourceType('AWS.ECS.Cluster').secretAttributes!);
    expect(JSON.stringify(out)).not.toContain('k-123');
    expect((out.Tasks as { Overrides: { ContainerOverrides: unknown } }[])[0]!.Overrides.ContainerOverrides).toEqual([
      { Name: 'web', Environment: [{ Name: 'API_KEY', Value: REDACTED }] },
      { Name: 'side', Environment: null },
    ]);
  });

  it('rejects malformed paths with one line naming them', () => {
    expect(() => parseSecretPath('Environment..Variables')).toThrow("secret attribute path 'Environment..Variables': bad segment ''");
    expect(() => parseSecretPath('*.Value')).toThrow('cannot start with *');
    expect(parseSecretPath('Tasks[].Overrides')).toEqual(['Tasks[]', 'Overrides']);
  });
});

describe('the registry redacts what its types declare', () => {
  it('declares secret attributes for the types that carry secrets, each on a documented attribute', () => {
    const declared = Object.fromEntries(REGISTRY.filter((t) => t.secretAttributes?.length).map((t) => [t.type, t.secretAttributes]));
    expect(declared).toEqual({
      'AWS.Lambda.Function': ['Environment.Variables.*'],
      'AWS.CloudFormation.Stack': ['Parameters[].ParameterValue', 'Parameters[].ResolvedValue'],
      'AWS.ECS.Cluster': ['Tasks[].Overrides.ContainerOverrides[].Environment[].Value'],
      'AWS.ELBV2.ApplicationLoadBalancer': ['Listeners[].DefaultActions[].AuthenticateOidcConfig.ClientSecret'],
      'AWS.Firehose.DeliveryStream': ['Destinations[].SplunkDestinationDescription.HECToken'],
      'AWS.AutoScaling.Group': ['LaunchConfiguration.UserData'],
      'AWS.EC2.LaunchTemplate': ['DefaultVersion.LaunchTemplateData.UserData'],
      'AWS.CodeBuild.Project': ['Environment.EnvironmentVariables[].Value'],
      'AWS.Glue.Job': ['DefaultArguments.*', 'NonOverridableArguments.*', 'SourceControlDetails.AuthToken'],
      'AWS.EMR.Cluster': ['Configurations[].Properties.*', 'Configurations[].Configurations[].Properties.*'],
    });
    for (const t of REGISTRY) {
      for (const p of t.secretAttributes ?? []) {
        const top = parseSecretPath(p)[0]!.replace(/\[\]$/, '');
        expect(t.attributes.map((a) => a.name), `${t.type}: ${p}`).toContain(top);
      }
    }
  });

  it("wraps each type's describe: REGISTRY, getResourceType on any registry, idempotently", async () => {
    const raw: ResourceType<{ name: string }> = {
      ...(LAMBDA_FUNCTION as ResourceType<{ name: string }>),
      describe: async (_ctx, ref) => (ref.name === 'gone' ? null : fn({ TOKEN: `tok-${ref.name}` })),
    };
    const ctx = {} as ScanContext;
    const wrapped = withRedaction(raw);
    expect(withRedaction(wrapped)).toBe(wrapped);
    expect(withRedaction(raw)).toBe(wrapped);
    expect(getResourceType('AWS.Lambda.Function', [raw as ResourceType<unknown>])).toBe(wrapped);
    expect((await wrapped.describe(ctx, { name: 'a' }))!.Environment).toEqual({ Variables: { TOKEN: REDACTED }, Error: null });
    expect(await wrapped.describe(ctx, { name: 'gone' })).toBeNull();
    // A type without secrets is itself; REGISTRY's entries are already wrapped.
    const bucket = getResourceType('AWS.S3.Bucket');
    expect(withRedaction(bucket)).toBe(bucket);
    const lambda = getResourceType('AWS.Lambda.Function');
    expect(lambda).not.toBe(LAMBDA_FUNCTION);
    expect(withRedaction(lambda)).toBe(lambda);
    expect(getResourceType('AWS.Lambda.Function')).toBe(lambda);
  });

  it('keeps the change hash stable: a changed secret value alone is no change', () => {
    const paths = getResourceType('AWS.Lambda.Function').secretAttributes!;
    const a = redactAttributes(fn({ DB_PASSWORD: 'old' }), paths);
    const b = redactAttributes(fn({ DB_PASSWORD: 'rotated' }), paths);
    const c = redactAttributes(fn({ DB_PASSWORD: 'old', NEW_KEY: 'x' }), paths);
    expect(changeHash(a)).toBe(changeHash(b));
    expect(changeHash(a)).not.toBe(changeHash(c));
  });

  it('redactResource redacts by ResourceType (stored resources that predate redaction) and leaves others alone', () => {
    expect(redactResource(fn({ K: 'v' })).Environment).toEqual({ Variables: { K: REDACTED }, Error: null });
    const other = base('AWS.Nope', { Environment: { Variables: { K: 'v' } } });
    expect(redactResource(other)).toBe(other);
  });
});

/** The engine loads the built-in pack as a versioned S3 bundle, with read access to that one object only. */
import { Stack, type CfnResource } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../lib/app.ts';
import type { PostureStack } from '../../lib/posture-stack.ts';
import { SKIP_BUNDLING, TEST_CONTEXT } from './helpers.ts';

let stack: PostureStack;
let template: Template;

beforeAll(() => {
  ({ stack } = buildApp({ nag: false, context: { ...SKIP_BUNDLING, ...TEST_CONTEXT } }));
  template = Template.fromStack(stack);
});

describe('policy bundle', () => {
  it('points the engine at the bundle object and the layer fallback', () => {
    const id = Stack.of(stack).getLogicalId(stack.engine.function.node.defaultChild as CfnResource);
    const env = template.toJSON().Resources[id].Properties.Environment.Variables;
    expect(env.POSTURE_BUNDLE).toBe('/opt/posture/bundle.json');
    expect(env.POSTURE_BUNDLE_BUCKET).toBeTruthy();
    expect(JSON.stringify(env.POSTURE_BUNDLE_KEY)).toMatch(/\.zip/);
  });

  it('grants s3:GetObject on that object only', () => {
    // The engine role's statements: the only S3 access in them is the bundle object.
    const roleId = Stack.of(stack).getLogicalId(stack.engine.function.role!.node.defaultChild as CfnResource);
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) => JSON.stringify((p as { Properties: { Roles: unknown } }).Properties.Roles).includes(roleId));
    const statements = policies
      .flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: { Action: unknown; Resource: unknown }[] } } }).Properties.PolicyDocument.Statement)
      .filter((s) => JSON.stringify(s.Action).includes('s3:'));
    expect(statements).toHaveLength(1);
    expect(statements[0]!.Action).toBe('s3:GetObject');
    expect(JSON.stringify(statements[0]!.Resource)).toMatch(/\.zip/);
  });
});

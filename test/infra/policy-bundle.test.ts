/**
 * The engine loads the built-in pack as a versioned S3 bundle, with read access to that one
 * object only, and an uploaded bundle (posture upload) from one fixed key of the policy bucket.
 */
import { Stack, type CfnResource } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../lib/app.ts';
import type { PostureStack } from '../../lib/posture-stack.ts';
import { OUTPUTS } from '../../lib/outputs.ts';
import { ACTIVE_BUNDLE_KEY, BUNDLE_TTL_SECONDS, DRAFTS_PREFIX } from '../../src/publish/active-bundle.ts';
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
    expect(env.POSTURE_BUNDLE).toBe('/opt/posture/bundle.zip');
    expect(env.POSTURE_BUNDLE_BUCKET).toBeTruthy();
    expect(JSON.stringify(env.POSTURE_BUNDLE_KEY)).toMatch(/\.zip/);
  });

  it('grants S3 access to the built-in object, the active key and the staged drafts only', () => {
    // The engine role's statements: the only S3 access in them is the two bundle objects, a
    // listing of exactly the active key (its ETag, and NoSuchKey rather than AccessDenied), and
    // the console's staged drafts (policies/drafts/*: written and read back for the impact).
    const roleId = Stack.of(stack).getLogicalId(stack.engine.function.role!.node.defaultChild as CfnResource);
    const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) => JSON.stringify((p as { Properties: { Roles: unknown } }).Properties.Roles).includes(roleId));
    const statements = policies
      .flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: { Action: unknown; Resource: unknown; Condition?: unknown }[] } } }).Properties.PolicyDocument.Statement)
      .filter((s) => JSON.stringify(s.Action).includes('s3:'));
    // CDK merges the two GetObject grants into one statement with two object ARNs.
    expect(statements).toHaveLength(3);
    const bucketId = Stack.of(stack).getLogicalId(stack.engine.policyBucket.node.defaultChild as CfnResource);
    const [get, list, drafts] = statements;
    expect(drafts!.Action).toEqual(['s3:GetObject', 's3:PutObject']);
    expect(JSON.stringify(drafts!.Resource)).toContain(bucketId);
    expect(JSON.stringify(drafts!.Resource)).toContain(`/${DRAFTS_PREFIX}*`);
    expect(get!.Action).toBe('s3:GetObject');
    const objects = (get!.Resource as unknown[]).map((r) => JSON.stringify(r));
    expect(objects).toHaveLength(2);
    expect(objects[0]).toMatch(/assets.*\.zip/);
    expect(objects[1]).toContain(bucketId);
    expect(objects[1]).toContain(`/${ACTIVE_BUNDLE_KEY}`);
    expect(list!.Action).toBe('s3:ListBucket');
    expect(JSON.stringify(list!.Resource)).toContain(bucketId);
    expect(list!.Condition).toEqual({ StringEquals: { 's3:prefix': ACTIVE_BUNDLE_KEY } });
  });

  it('points the engine at the active key, and publishes where it is', () => {
    const id = Stack.of(stack).getLogicalId(stack.engine.function.node.defaultChild as CfnResource);
    const env = template.toJSON().Resources[id].Properties.Environment.Variables;
    const bucketId = Stack.of(stack).getLogicalId(stack.engine.policyBucket.node.defaultChild as CfnResource);
    expect(env.POSTURE_ACTIVE_BUNDLE_BUCKET).toEqual({ Ref: bucketId });
    expect(env.POSTURE_ACTIVE_BUNDLE_KEY).toBe(ACTIVE_BUNDLE_KEY);
    expect(env.POSTURE_BUNDLE_TTL).toBe(String(BUNDLE_TTL_SECONDS));
    const outputs = template.toJSON().Outputs;
    expect(outputs[OUTPUTS.policyBucket].Value).toEqual({ Ref: bucketId });
    expect(JSON.stringify(outputs[OUTPUTS.activePolicyBundle].Value)).toContain(`/${ACTIVE_BUNDLE_KEY}`);
    expect(JSON.stringify(outputs[OUTPUTS.builtinPolicyBundle].Value)).toMatch(/s3:\/\/.*\.zip/);
  });

  it('keeps uploads in a versioned, encrypted, SSL-only, access-logged bucket', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      LoggingConfiguration: { LogFilePrefix: 'policy-bucket/' },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    });
    const bucketId = Stack.of(stack).getLogicalId(stack.engine.policyBucket.node.defaultChild as CfnResource);
    const policy = Object.values(template.findResources('AWS::S3::BucketPolicy')).find((p) => JSON.stringify(p).includes(bucketId));
    expect(JSON.stringify(policy)).toContain('"aws:SecureTransport":"false"');
  });
});

/**
 * Builds the CDK app: one PostureStack configured from context, checked by cdk-nag
 * (AwsSolutions) during synthesis. Used by bin/posture.ts and by the infra tests.
 */
import { App, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readConfig } from './config.ts';
import { PostureStack } from './posture-stack.ts';

export const STACK_NAME = 'Posture';

/** Behaviour flags this app is written for (CLI/cdk.json context still takes precedence). */
export const FEATURE_FLAGS: Record<string, boolean> = {
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
  '@aws-cdk/aws-stepfunctions:useDistributedMapResultWriterV2': true,
  '@aws-cdk/aws-events:eventsTargetQueueSameAccount': true,
  '@aws-cdk/aws-events:requireEventBusPolicySid': true,
  '@aws-cdk/aws-iam:minimizePolicies': true,
  '@aws-cdk/aws-kms:reduceCrossAccountRegionPolicyScope': true,
  '@aws-cdk/aws-lambda:recognizeLayerVersion': true,
};

export interface BuildAppOptions extends Omit<AppProps, 'context'> {
  context?: Record<string, unknown>;
  /** Register the cdk-nag AwsSolutions checks (default true). */
  nag?: boolean;
}

export function buildApp(options: BuildAppOptions = {}): { app: App; stack: PostureStack } {
  const { context, nag = true, ...appProps } = options;
  const app = new App({ ...appProps, context: { ...FEATURE_FLAGS, ...context } });
  const stack = new PostureStack(app, STACK_NAME, {
    description: 'Posture: serverless AWS cloud security scanning (security account)',
    config: readConfig(app),
  });
  if (nag) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, stack };
}

/**
 * CDK assertions for alert destinations (bundling skipped): the dispatcher may read the
 * Destinations table and destination secrets by name prefix, publish to posture-* topics, and
 * send to its own delivery DLQ, and nothing else of those services.
 */
import { Stack, type CfnResource } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ENV } from '#lambda-runtime/env.ts';
import { buildApp } from '../../lib/app.ts';
import { OUTPUTS } from '../../lib/outputs.ts';
import type { PostureStack } from '../../lib/posture-stack.ts';
import { asArray, policyStatements, SKIP_BUNDLING, TEST_CONTEXT } from './helpers.ts';

let stack: PostureStack;
let template: Template;

beforeAll(() => {
  ({ stack } = buildApp({ nag: false, context: { ...SKIP_BUNDLING, ...TEST_CONTEXT } }));
  template = Template.fromStack(stack);
});

const logicalId = (c: { node: { defaultChild?: unknown } }): string => Stack.of(stack).getLogicalId(c.node.defaultChild as CfnResource);
const roleOf = (fn: { role?: { node: { defaultChild?: unknown } } }) => logicalId(fn.role!);

/** The statements of the policies attached to one role. */
function statementsOf(roleId: string): Record<string, unknown>[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((p) => JSON.stringify((p as { Properties: { Roles: unknown } }).Properties.Roles).includes(roleId))
    .flatMap((p) => (p as { Properties: { PolicyDocument: { Statement: Record<string, unknown>[] } } }).Properties.PolicyDocument.Statement);
}

describe('alert destinations', () => {
  it('has an encrypted, TLS-only delivery DLQ that only the dispatcher may send to', () => {
    const id = logicalId(stack.alerts.deliveryDeadLetterQueue);
    expect(template.toJSON().Resources[id].Properties).toMatchObject({ SqsManagedSseEnabled: true, MessageRetentionPeriod: 14 * 86_400 });
    const senders = policyStatements(template).filter((s) => asArray(s.Action).includes('sqs:SendMessage') && JSON.stringify(s.Resource).includes(id));
    expect(senders).toEqual([{ Effect: 'Allow', Action: 'sqs:SendMessage', Resource: { 'Fn::GetAtt': [id, 'Arn'] } }]);
    expect(statementsOf(roleOf(stack.alerts.dispatch))).toContainEqual(senders[0]);
    // posture destinations redrive finds it through this output.
    expect(template.toJSON().Outputs[OUTPUTS.alertDeliveryDlqUrl]).toMatchObject({ Value: { Ref: id } });
  });

  it('reads destination secrets by the posture/destinations/ prefix only, and only in the dispatcher', () => {
    // Besides the console API, which manages them (Destinations page; console.test.ts checks the same prefix).
    const reads = policyStatements(template, [roleOf(stack.console!.apiFunction)]).filter((s) => JSON.stringify(s.Action).includes('secretsmanager:'));
    expect(reads).toEqual([
      {
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':secretsmanager:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':secret:posture/destinations/*']] },
      },
    ]);
    expect(statementsOf(roleOf(stack.alerts.dispatch))).toContainEqual(reads[0]);
  });

  it('publishes to the alerts topic and to posture-* topics of its own account and region', () => {
    const publish = statementsOf(roleOf(stack.alerts.dispatch)).filter((s) => asArray(s.Action).includes('sns:Publish'));
    const resources = publish.flatMap((s) => asArray(s.Resource));
    expect(resources).toHaveLength(2);
    expect(resources).toEqual(
      expect.arrayContaining([
        { Ref: logicalId(stack.alerts.topic) },
        { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':sns:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':posture-*']] },
      ]),
    );
  });

  it('reads the Destinations table (no writes) and gets the delivery DLQ in its environment', () => {
    const table = logicalId(stack.storage.tables.Destinations);
    const onTable = statementsOf(roleOf(stack.alerts.dispatch)).filter((s) => JSON.stringify(s.Resource).includes(table));
    const actions = onTable.flatMap((s) => asArray(s.Action) as string[]);
    expect(actions).toContain('dynamodb:Scan');
    expect(actions.filter((a) => /Put|Update|Delete|Write/.test(a))).toEqual([]);
    const env = template.toJSON().Resources[logicalId(stack.alerts.dispatch)].Properties.Environment.Variables;
    expect(env[ENV.alertDeliveryDeadLetterQueue]).toEqual({ Ref: logicalId(stack.alerts.deliveryDeadLetterQueue) });
  });
});

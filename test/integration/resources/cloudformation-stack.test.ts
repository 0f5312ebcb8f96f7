import {
  CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStacksCommand,
  type DescribeStacksCommandOutput,
  type Stack,
} from '@aws-sdk/client-cloudformation';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAppStack } from '../../../src/local/estate/compute.ts';
import { CLOUDFORMATION_STACK } from '../../../src/resources/cloudformation-stack.ts';
import type { ScanContext } from '../../../src/resources/types.ts';
import { awsError, intercept, RFC3339, trail, typeKeys } from '../../helpers/intercept.ts';
import { randomAccountId, scanContext } from '../../helpers/moto.ts';
import { listAll } from '../../helpers/resource-checks.ts';

const account = randomAccountId();
const REGION = 'ap-southeast-2';
let ctx: ScanContext;
let cfn: CloudFormationClient;
let appId: string;
let bareId: string;

const BARE_TEMPLATE = JSON.stringify({ Resources: { Handle: { Type: 'AWS::CloudFormation::WaitConditionHandle' } } });

beforeAll(async () => {
  ctx = await scanContext(account, REGION);
  cfn = ctx.clients.get(CloudFormationClient);
  appId = await createAppStack(ctx.clients);
  bareId = (await cfn.send(new CreateStackCommand({ StackName: 'bare', TemplateBody: BARE_TEMPLATE }))).StackId!;
});

const DRIFT_CHECK = new Date('2026-03-01T12:00:00Z');

/** moto has no drift detection: DescribeStacks never carries DriftInformation and
 *  moto lacks DescribeStackResourceDrifts. This context answers both as the AWS API
 *  reference documents them: `app` was checked and has drifted (two pages of resource drifts),
 *  `bare` was never checked. */
function driftContext(base: ScanContext, calls: string[]): ScanContext {
  const withDrift = (s: Stack): Stack => ({
    ...s,
    DriftInformation: s.StackId === appId ? { StackDriftStatus: 'DRIFTED', LastCheckTimestamp: DRIFT_CHECK } : { StackDriftStatus: 'NOT_CHECKED' },
  });
  return intercept(base, CloudFormationClient, (cmd, send) => {
    const name = cmd.constructor.name;
    if (name === 'DescribeStacksCommand') {
      return (async () => {
        const out = (await send(cmd)) as DescribeStacksCommandOutput;
        return { ...out, Stacks: out.Stacks?.map(withDrift) };
      })();
    }
    if (name === 'DescribeStackResourceDriftsCommand') {
      calls.push(`${String(cmd.input.StackName)}#${String(cmd.input.NextToken ?? '')}`);
      const first = !cmd.input.NextToken;
      return Promise.resolve({
        $metadata: {},
        StackResourceDrifts: [
          first
            ? {
                StackId: appId,
                LogicalResourceId: 'Topic',
                PhysicalResourceId: 'arn:aws:sns:ap-southeast-2:123456789012:app-Topic',
                ResourceType: 'AWS::SNS::Topic',
                ExpectedProperties: '{"DisplayName":"app"}',
                ActualProperties: '{"DisplayName":"changed"}',
                PropertyDifferences: [{ PropertyPath: '/DisplayName', ExpectedValue: 'app', ActualValue: 'changed', DifferenceType: 'NOT_EQUAL' }],
                StackResourceDriftStatus: 'MODIFIED',
                Timestamp: DRIFT_CHECK,
              }
            : { StackId: appId, LogicalResourceId: 'Queue', ResourceType: 'AWS::SQS::Queue', StackResourceDriftStatus: 'DELETED', Timestamp: DRIFT_CHECK },
        ],
        NextToken: first ? 'p2' : undefined,
      });
    }
    return undefined;
  });
}

describe('AWS.CloudFormation.Stack', () => {
  it('lists live stacks by StackId and describes them from the page', async () => {
    const calls: string[] = [];
    const spy = intercept(ctx, CloudFormationClient, (cmd) => {
      calls.push(cmd.constructor.name);
      return undefined;
    });
    const page = await CLOUDFORMATION_STACK.list(spy);
    expect(page.refs.map((r) => r.stackName).sort()).toEqual([appId, bareId].sort());
    expect(page.nextPageToken).toBeUndefined();
    for (const ref of page.refs) expect(CLOUDFORMATION_STACK.resourceId(ctx, ref)).toBe(ref.stackName);
    const res = await CLOUDFORMATION_STACK.describe(spy, { stackName: appId });
    expect(res?.Name).toBe('app');
    expect(calls).toEqual(['DescribeStacksCommand']);
    // A name alone does not tell the StackId.
    expect(CLOUDFORMATION_STACK.resourceId(ctx, { stackName: 'app' })).toBeUndefined();
  });

  it('follows NextToken across pages', async () => {
    // DescribeStacks takes no page size and moto answers everything at once: one stack a page.
    const paged = intercept(ctx, CloudFormationClient, (cmd, send) => {
      if (cmd.constructor.name !== 'DescribeStacksCommand' || cmd.input.StackName) return undefined;
      return (async () => {
        const all = ((await send(new DescribeStacksCommand({}))) as DescribeStacksCommandOutput).Stacks ?? [];
        const i = Number(cmd.input.NextToken ?? 0);
        return { Stacks: all.slice(i, i + 1), NextToken: i + 1 < all.length ? String(i + 1) : undefined };
      })();
    });
    const { refs: seen, pages } = await listAll(CLOUDFORMATION_STACK, paged);
    expect(pages).toBe(2);
    expect(seen.map((r) => r.stackName).sort()).toEqual([appId, bareId].sort());
  });

  it('models a configured stack', async () => {
    const res = (await CLOUDFORMATION_STACK.describe(ctx, { stackName: 'app' }))!;
    expect(typeKeys(res)).toEqual(CLOUDFORMATION_STACK.attributes.map((a) => a.name).sort());
    expect(res).toMatchObject({
      ResourceId: appId,
      ResourceType: 'AWS.CloudFormation.Stack',
      AccountId: account,
      Region: REGION,
      Arn: appId,
      Id: appId,
      Name: 'app',
      Tags: { team: 'platform' },
      StackName: 'app',
      StackId: appId,
      StackStatus: 'CREATE_COMPLETE',
      Description: 'app stack',
      Parameters: [{ ParameterKey: 'Env', ParameterValue: 'prod', UsePreviousValue: null, ResolvedValue: null }],
      Outputs: [{ OutputKey: 'TopicArn', OutputValue: expect.stringContaining(':sns:'), Description: 'the topic', ExportName: null }],
      EnableTerminationProtection: true,
      TimeoutInMinutes: 15,
      DisableRollback: false,
      RoleARN: null,
      ParentId: null,
      RootId: null,
      DeletionTime: null,
      RollbackConfiguration: null,
      // moto returns no DriftInformation (AWS answers NOT_CHECKED): no drift results to read.
      DriftInformation: null,
      Drifts: null,
    });
    expect(res.TimeCreated).toMatch(RFC3339);
    expect(res.TimeCreated).toBe(res.CreationTime);
    expect(JSON.stringify(res)).not.toContain('$metadata');
  });

  it('models a bare stack with nulls', async () => {
    const res = (await CLOUDFORMATION_STACK.describe(ctx, { stackName: bareId }))!;
    expect(res).toMatchObject({ ResourceId: bareId, Name: 'bare', Tags: null, Description: null, Outputs: null, Drifts: null });
    // AWS fields stay as answered: moto sends an empty Parameters list.
    expect(res.Parameters ?? []).toEqual([]);
  });

  it('reads the last drift detection where AWS reports one (moto lacks drift: documented responses)', async () => {
    const calls: string[] = [];
    const drift = driftContext(ctx, calls);
    const app = (await CLOUDFORMATION_STACK.describe(drift, { stackName: appId }))!;
    expect(app.DriftInformation).toEqual({ StackDriftStatus: 'DRIFTED', LastCheckTimestamp: DRIFT_CHECK.toISOString() });
    expect(app.Drifts).toEqual([
      {
        StackId: appId,
        LogicalResourceId: 'Topic',
        PhysicalResourceId: 'arn:aws:sns:ap-southeast-2:123456789012:app-Topic',
        PhysicalResourceIdContext: null,
        ResourceType: 'AWS::SNS::Topic',
        ExpectedProperties: '{"DisplayName":"app"}',
        ActualProperties: '{"DisplayName":"changed"}',
        PropertyDifferences: [{ PropertyPath: '/DisplayName', ExpectedValue: 'app', ActualValue: 'changed', DifferenceType: 'NOT_EQUAL' }],
        StackResourceDriftStatus: 'MODIFIED',
        Timestamp: DRIFT_CHECK.toISOString(),
        ModuleInfo: null,
        DriftStatusReason: null,
      },
      expect.objectContaining({ LogicalResourceId: 'Queue', StackResourceDriftStatus: 'DELETED', PhysicalResourceId: null, PropertyDifferences: null }),
    ]);
    expect(calls).toEqual([`${appId}#`, `${appId}#p2`]);
    // Never checked: no drift call at all.
    const bare = (await CLOUDFORMATION_STACK.describe(drift, { stackName: bareId }))!;
    expect(bare.DriftInformation).toEqual({ StackDriftStatus: 'NOT_CHECKED', LastCheckTimestamp: null });
    expect(bare.Drifts).toBeNull();
    expect(calls).toHaveLength(2);
  });

  it('returns null for a deleted stack, by name and by StackId', async () => {
    const goneId = (await cfn.send(new CreateStackCommand({ StackName: 'gone', TemplateBody: BARE_TEMPLATE }))).StackId!;
    await cfn.send(new DeleteStackCommand({ StackName: goneId }));
    // By StackId AWS still answers, with DELETE_COMPLETE.
    expect((await cfn.send(new DescribeStacksCommand({ StackName: goneId }))).Stacks?.[0]?.StackStatus).toBe('DELETE_COMPLETE');
    expect(await CLOUDFORMATION_STACK.describe(ctx, { stackName: goneId })).toBeNull();
    expect(await CLOUDFORMATION_STACK.describe(ctx, { stackName: 'gone' })).toBeNull();
    expect((await CLOUDFORMATION_STACK.list(ctx)).refs.map((r) => r.stackName)).not.toContain(goneId);
  });

  it('lets AccessDenied, throttling and other validation errors propagate', async () => {
    const fail = (e: Error) => intercept(ctx, CloudFormationClient, (cmd) => (cmd.constructor.name === 'DescribeStacksCommand' ? Promise.reject(e) : undefined));
    await expect(CLOUDFORMATION_STACK.describe(fail(awsError('AccessDenied', 'not authorized')), { stackName: 'app' })).rejects.toThrow('not authorized');
    await expect(CLOUDFORMATION_STACK.list(fail(awsError('Throttling', 'Rate exceeded')))).rejects.toThrow('Rate exceeded');
    await expect(CLOUDFORMATION_STACK.describe(fail(awsError('ValidationError', '1 validation error detected')), { stackName: 'x' })).rejects.toThrow('validation');
  });

  it('maps CloudTrail events to refs, settling stack operations', () => {
    const id = 'arn:aws:cloudformation:us-east-1:111122223333:stack/app/0f1e';
    const ev = CLOUDFORMATION_STACK.events;
    const refs = (name: string, req: Record<string, unknown>, res: Record<string, unknown> | null = null) =>
      ev[name]!.refs!(trail('cloudformation.amazonaws.com', name, req, res));
    expect(refs('CreateStack', { stackName: 'app', templateURL: 'https://x' }, { stackId: id })).toEqual([{ stackName: id }]);
    expect(ev.CreateStack!.settleSeconds).toBe(300);
    expect(refs('UpdateStack', { stackName: 'app' }, { stackId: id })).toEqual([{ stackName: id }]);
    expect(refs('DeleteStack', { stackName: 'app' })).toEqual([{ stackName: 'app' }]);
    expect(ev.DeleteStack).toMatchObject({ action: 'rescan', settleSeconds: 300 });
    expect(refs('UpdateTerminationProtection', { stackName: 'app', enableTerminationProtection: true }, { stackId: id })).toEqual([{ stackName: id }]);
    expect(refs('DetectStackDrift', { stackName: id }, { stackDriftDetectionId: 'd-1' })).toEqual([{ stackName: id }]);
    expect(ev.ExecuteChangeSet).toEqual({ action: 'rescan-region', settleSeconds: 300 });
  });
});
